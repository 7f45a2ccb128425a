-- The warehouse's schemas and the migration ledger.
create schema if not exists etl;
create schema if not exists staging;
create schema if not exists core;
create schema if not exists rpt;

comment on schema etl is 'Load bookkeeping: migrations, batches, rejects.';
comment on schema staging is 'One table per feed; rows of a batch on their way to core.';
comment on schema core is 'Dimensions and facts of the livability warehouse.';
comment on schema rpt is 'Reporting views and aggregates; the only schema tenant roles read.';

create table etl.schema_migrations (
    version    integer primary key,
    name       text not null,
    sha256     text not null,
    applied_at timestamptz not null default now()
);
comment on table etl.schema_migrations is 'Applied migrations: SQL/migrations/NNNN_name.sql with the checksum of the applied file.';
