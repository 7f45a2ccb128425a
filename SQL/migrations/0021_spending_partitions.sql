-- core.spending is partitioned by booking year: one partition per year (range on booking_date,
-- core.spending_<year>) and a default partition for rows no year partition takes. A ledger load
-- builds a year's rows into a fresh table, builds its indexes once (sorted, not row by row) and
-- exchanges it for the year's partition in its transaction (core.spending_exchange). A journal
-- line is unique within its year: each partition's primary key is (gemeente_code, journal,
-- document, line_no); PostgreSQL has no unique index across partitions.
set local role leefbaar_owner;

alter table core.spending rename to spending_unpartitioned;
alter index core.spending_pkey rename to spending_unpartitioned_pkey;
alter index core.spending_year rename to spending_unpartitioned_year;
alter index core.spending_project rename to spending_unpartitioned_project;

create table core.spending (
    like core.spending_unpartitioned including defaults including constraints including generated including comments
) partition by range (booking_date);
create index spending_year on core.spending (year, gemeente_code, inzet_level);
create index spending_project on core.spending (project_code) where project_code is not null;
comment on table core.spending is 'Fact: livability spending, one row per ledger journal line. Partitioned by booking year (core.spending_<year>, core.spending_default); a journal line (gemeente_code, journal, document, line_no) is unique within its year.';
comment on column core.spending.booking_date is 'Booking date (the partition key: one partition per year).';

-- Tenants read core.spending only through the parent, whose policies apply; a partition has no
-- tenant grant (reading one directly is refused), row-level security of its own and the owner's
-- and analysts' policies.
alter table core.spending enable row level security;
alter table core.spending force row level security;
create policy owner_all on core.spending to leefbaar_owner using (true) with check (true);
create policy analyst_read on core.spending for select to leefbaar_analyst using (true);
-- The tenant predicate is set by SQL/models/50_tenant_policies.sql (re-applied after migrations).
create policy tenant_read on core.spending for select to leefbaar_tenant using (false);
grant select on core.spending to leefbaar_tenant;

create function core.spending_secure_partition(part regclass, label text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
    execute format('alter table %s enable row level security', part);
    execute format('alter table %s force row level security', part);
    execute format('create policy owner_all on %s to leefbaar_owner using (true) with check (true)', part);
    execute format('create policy analyst_read on %s for select to leefbaar_analyst using (true)', part);
    execute format('grant select on %s to leefbaar_analyst', part);
    execute format('revoke all on %s from leefbaar_tenant', part);
    execute format('comment on table %s is %L', part, 'Partition of core.spending: ' || label || '. Read core.spending.');
end
$$;
comment on function core.spending_secure_partition(regclass, text) is 'Gives a partition of core.spending its row-level security, policies (owner, analysts; no tenant grant) and comment.';
revoke execute on function core.spending_secure_partition(regclass, text) from public;

-- Security definer: whoever calls it (the owner, a superuser), the partition belongs to leefbaar_owner.
create function core.spending_partition(y integer) returns regclass
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
    name constant text := 'spending_' || y;
    part regclass := to_regclass('core.' || name);
begin
    if part is null then
        execute format('create table core.%I partition of core.spending (primary key (gemeente_code, journal, document, line_no)) for values from (%L) to (%L)',
                       name, make_date(y, 1, 1), make_date(y + 1, 1, 1));
        part := ('core.' || name)::regclass;
        perform core.spending_secure_partition(part, 'the rows booked in ' || y);
    end if;
    return part;
end
$$;
comment on function core.spending_partition(integer) is 'The partition of core.spending for a booking year, created when missing.';
revoke execute on function core.spending_partition(integer) from public;

create table core.spending_default partition of core.spending (primary key (gemeente_code, journal, document, line_no)) default;
select core.spending_secure_partition('core.spending_default', 'rows of years without a partition of their own');

select core.spending_partition(y) from (select distinct year as y from core.spending_unpartitioned order by 1) years;
insert into core.spending (gemeente_code, journal, document, line_no, booking_date, account, cost_centre, project_code,
                           inzet_level, category, description, amount, batch_id, source_line)
select gemeente_code, journal, document, line_no, booking_date, account, cost_centre, project_code,
       inzet_level, category, description, amount, batch_id, source_line
from core.spending_unpartitioned;
drop table core.spending_unpartitioned;

-- rpt.spending_summary follows core.spending through its statement triggers; an exchanged
-- partition fires none, so core.spending_exchange adjusts the summary itself.
create trigger spending_summary_insert after insert on core.spending
    referencing new table as new_rows for each statement execute function rpt.spending_summary_apply();
create trigger spending_summary_delete after delete on core.spending
    referencing old table as gone_rows for each statement execute function rpt.spending_summary_apply();
create trigger spending_summary_update after update on core.spending
    referencing old table as gone_rows new table as new_rows for each statement execute function rpt.spending_summary_apply();
