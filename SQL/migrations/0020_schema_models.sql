-- Views and functions have one current definition each, in SQL/models/*.sql; `leefbaar-etl migrate`
-- re-applies them (in file order, in one transaction) whenever a file is new or changed, and
-- records here what it applied. Migrations keep tables and data; models keep what is derived.
set local role leefbaar_owner;

create table etl.schema_model (
    name       text primary key,
    sha256     text not null,
    applied_at timestamptz not null default now()
);
comment on table etl.schema_model is 'Applied models: SQL/models/NAME.sql with the checksum of the applied file.';
comment on column etl.schema_model.name is 'The file name without .sql.';
comment on column etl.schema_model.sha256 is 'SHA-256 of the file as applied, hex.';
comment on column etl.schema_model.applied_at is 'When it was applied.';
grant select on etl.schema_model to leefbaar_analyst;
