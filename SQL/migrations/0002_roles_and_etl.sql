-- Roles, ownership, and the load bookkeeping tables (etl.batch, etl.reject).
-- Roles are cluster-wide: created when missing, so several warehouses (or test databases) can share a cluster.
do $$
declare r text;
begin
    foreach r in array array['leefbaar_owner', 'leefbaar_analyst', 'leefbaar_tenant', 'leefbaar_reporter'] loop
        begin
            execute format('create role %I nologin %s', r, case when r = 'leefbaar_reporter' then 'noinherit' else '' end);
        exception when duplicate_object or unique_violation then null;
        end;
    end loop;
end $$;

-- What each role is for: docs/security.md. (No COMMENT ON ROLE: roles are shared by the cluster, and
-- concurrent migrations of two databases would update the same catalog row.)

alter schema etl owner to leefbaar_owner;
alter schema staging owner to leefbaar_owner;
alter schema core owner to leefbaar_owner;
alter schema rpt owner to leefbaar_owner;
alter table etl.schema_migrations owner to leefbaar_owner;
comment on column etl.schema_migrations.version is 'The NNNN of the migration file.';
comment on column etl.schema_migrations.name is 'The title part of the file name.';
comment on column etl.schema_migrations.sha256 is 'SHA-256 of the file as applied; migrate refuses when the file changes.';
comment on column etl.schema_migrations.applied_at is 'When it was applied.';

set local role leefbaar_owner;

create table etl.batch (
    batch_id      bigint generated always as identity primary key,
    feed          text not null,
    file_name     text not null,
    file_sha256   text not null check (file_sha256 ~ '^[0-9a-f]{64}$'),
    bytes         bigint not null default 0,
    rows_read     bigint not null default 0,
    rows_loaded   bigint not null default 0,
    rows_rejected bigint not null default 0,
    status        text not null default 'running' check (status in ('running', 'loaded', 'failed', 'replaced')),
    started_at    timestamptz not null default clock_timestamp(),
    finished_at   timestamptz,
    error         text,
    run_by        text not null default session_user,
    replaced_by   bigint references etl.batch (batch_id),
    details       jsonb not null default '{}'::jsonb
);
comment on table etl.batch is 'One row per loaded file: what was read, loaded and rejected, and how it ended.';
comment on column etl.batch.batch_id is 'Batch number; every core row carries the batch it came from.';
comment on column etl.batch.feed is 'Feed name (SQL/feeds/<feed>.yaml) or the spec''s name.';
comment on column etl.batch.file_name is 'Path of the file as given to leefbaar-etl.';
comment on column etl.batch.file_sha256 is 'SHA-256 of the file''s bytes: the same file is loaded once per feed.';
comment on column etl.batch.bytes is 'File size in bytes.';
comment on column etl.batch.rows_read is 'Data records read (header excluded).';
comment on column etl.batch.rows_loaded is 'Records merged into core.';
comment on column etl.batch.rows_rejected is 'Records refused, listed in etl.reject.';
comment on column etl.batch.status is 'running, loaded, failed (nothing of it in core) or replaced (by a --force reload or a newer file of the same scope).';
comment on column etl.batch.started_at is 'When the load started.';
comment on column etl.batch.finished_at is 'When the load ended.';
comment on column etl.batch.error is 'Why a failed batch failed.';
comment on column etl.batch.run_by is 'The database user that ran the load.';
comment on column etl.batch.replaced_by is 'The batch whose rows replaced this one''s.';
comment on column etl.batch.details is 'Extra facts about the load: dropped columns, personal data removed per kind, timings.';

create unique index batch_one_loaded_per_file on etl.batch (feed, file_sha256) where status = 'loaded';
create index batch_feed_started on etl.batch (feed, started_at desc);

create table etl.reject (
    reject_id  bigint generated always as identity primary key,
    batch_id   bigint not null references etl.batch (batch_id) on delete cascade,
    line       bigint not null,
    column_name text,
    raw_value  text,
    raw_record text,
    reason     text not null
);
comment on column etl.reject.reject_id is 'Row number.';
comment on table etl.reject is 'Records a load refused: where they were, what they held and why.';
comment on column etl.reject.batch_id is 'The batch (file) the record was in.';
comment on column etl.reject.line is 'Physical line number where the record starts (1 = first line of the file).';
comment on column etl.reject.column_name is 'The column that failed, when one did.';
comment on column etl.reject.raw_value is 'The value as it stood in the file.';
comment on column etl.reject.raw_record is 'The whole record as it stood in the file (personal data removed).';
comment on column etl.reject.reason is 'What was wrong and what was expected.';
create index reject_batch on etl.reject (batch_id, line);
