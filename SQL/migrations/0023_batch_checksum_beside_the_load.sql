-- A file's SHA-256 may be recorded when its batch closes instead of when it opens. "Already loaded"
-- needs an equal checksum, and that an equal size: a file the size of no loaded batch of its feed
-- is hashed beside the load (on a thread of its own) rather than read whole before the load starts.
-- A running batch may so have no checksum yet; a loaded one always has it; a failed one has it
-- unless the load was stopped first, or its process ended.
set local role leefbaar_owner;

alter table etl.batch alter column file_sha256 drop not null;
alter table etl.batch add constraint batch_loaded_has_checksum
    check (file_sha256 is not null or status in ('running', 'failed'));

comment on column etl.batch.file_sha256 is 'SHA-256 of the file''s bytes: the same file is loaded once per feed. Empty while a load of a file the size of no loaded batch of the feed runs (it is hashed beside the load), and on a batch stopped or abandoned before that finished.';
