-- Leefbaarometer 2.0 data (the open-data workbook, long and wide sheets) kept apart from the 3.0
-- scores: its dimensions differ, so it is stored long, one row per area, edition and dimension.
-- And the nine Leefbaarometer classes (published as a JSON list).
set local role leefbaar_owner;

create table core.leefbaarometer2_score (
    gemeente_code text not null,
    area_code     text not null check (area_code ~ '^(GM[0-9]{4}|WK[0-9]{6}|BU[0-9]{8})$'),
    edition_year  integer not null check (edition_year between 1998 and 2100),
    dimension     text not null check (dimension ~ '^[a-z]+$'),
    value         numeric not null,
    batch_id      bigint not null,
    source_line   bigint not null,
    primary key (gemeente_code, area_code, edition_year, dimension)
);
comment on table core.leefbaarometer2_score is 'Fact: Leefbaarometer 2.0 scores (BZK open data, editions up to 2016), one row per area, edition and dimension; never mixed with the 3.0 scores.';
comment on column core.leefbaarometer2_score.gemeente_code is 'The gemeente the area lies in.';
comment on column core.leefbaarometer2_score.area_code is 'CBS code of the area.';
comment on column core.leefbaarometer2_score.edition_year is 'Leefbaarometer edition (2002 … 2016).';
comment on column core.leefbaarometer2_score.dimension is 'rlbrmtr (total), rlbwon, rlbfys, rlbvrz, rlbsoc, rlbvei, rlbbev … as published, lowercase.';
comment on column core.leefbaarometer2_score.value is 'The published value, exactly as in the file (no rounding).';
comment on column core.leefbaarometer2_score.batch_id is 'The load (etl.batch) this row came from.';
comment on column core.leefbaarometer2_score.source_line is 'Line (or sheet row) of the source file this row came from.';

alter table core.leefbaarometer2_score enable row level security;
alter table core.leefbaarometer2_score force row level security;
create policy owner_all on core.leefbaarometer2_score to leefbaar_owner using (true) with check (true);
create policy analyst_read on core.leefbaarometer2_score for select to leefbaar_analyst using (true);
create policy tenant_read on core.leefbaarometer2_score for select to leefbaar_tenant
    using (gemeente_code = (select core.tenant_gemeente(current_user::text)));
grant select on core.leefbaarometer2_score to leefbaar_tenant, leefbaar_analyst;

create table core.leefbaarometer_class (
    class        integer primary key check (class between 1 and 9),
    name         text not null,
    lower_bound  numeric,
    upper_bound  numeric,
    batch_id     bigint not null,
    source_line  bigint not null
);
comment on table core.leefbaarometer_class is 'Dimension: the nine Leefbaarometer classes (1 zeer onvoldoende … 9 uitstekend) and their score bounds.';
comment on column core.leefbaarometer_class.class is 'Class number, 1 to 9.';
comment on column core.leefbaarometer_class.name is 'Dutch name of the class.';
comment on column core.leefbaarometer_class.lower_bound is 'Lowest score in the class (null: no lower bound).';
comment on column core.leefbaarometer_class.upper_bound is 'Highest score below the next class (null: no upper bound).';
comment on column core.leefbaarometer_class.batch_id is 'The load (etl.batch) this row came from.';
comment on column core.leefbaarometer_class.source_line is 'Line of the source file this row came from.';
grant select on core.leefbaarometer_class to leefbaar_tenant, leefbaar_analyst;
alter table core.leefbaarometer_class enable row level security;
alter table core.leefbaarometer_class force row level security;
create policy owner_all on core.leefbaarometer_class to leefbaar_owner using (true) with check (true);
create policy everyone_reads on core.leefbaarometer_class for select to leefbaar_tenant, leefbaar_analyst using (true);
