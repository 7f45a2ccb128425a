-- A replace load removes rows of earlier batches of the same feed only, and every batch keeps a
-- record of what later batches removed of it. rpt.spending_summary follows core.spending by
-- itself: statement triggers add what a statement inserted and subtract what it deleted, for the
-- groups it touched only, whatever load (or person) changed the table.
set local role leefbaar_owner;

alter table etl.batch drop constraint batch_status_check;
alter table etl.batch add constraint batch_status_check
    check (status in ('running', 'loaded', 'failed', 'replaced', 'partly replaced'));
alter table etl.batch add column rows_replaced bigint not null default 0;
comment on column etl.batch.status is 'running, loaded, failed (nothing of it in core), replaced (every row removed by later batches of the same feed: a --force reload or a newer file of the same scope) or partly replaced (some rows removed).';
comment on column etl.batch.rows_replaced is 'Rows of this batch that later batches removed (etl.replacement says which).';
comment on column etl.batch.replaced_by is 'The latest batch that removed rows of this one.';

create table etl.replacement (
    batch_id    bigint not null references etl.batch (batch_id) on delete cascade,
    replaced_by bigint not null references etl.batch (batch_id) on delete cascade,
    scope       text not null,
    rows        bigint not null,
    primary key (batch_id, replaced_by, scope)
);
comment on table etl.replacement is 'Rows a load removed from earlier batches of its feed: which batch lost how many rows of which scope, and to which batch.';
comment on column etl.replacement.batch_id is 'The batch that lost rows.';
comment on column etl.replacement.replaced_by is 'The batch whose load removed them.';
comment on column etl.replacement.scope is 'The replace scope the rows were in (e.g. the booking year), or "reload" for a --force reload of the same file.';
comment on column etl.replacement.rows is 'How many rows were removed.';
grant select on etl.replacement to leefbaar_analyst;

-- The aggregate's groups: one row per gemeente, year, inzet level, category and project.
delete from rpt.spending_summary;
create unique index spending_summary_group on rpt.spending_summary
    (gemeente_code, year, inzet_level, category, project_code) nulls not distinct;
insert into rpt.spending_summary
select gemeente_code, year, inzet_level, category, project_code, sum(amount), count(*)
from core.spending group by gemeente_code, year, inzet_level, category, project_code;
comment on table rpt.spending_summary is 'Spending per gemeente, year, inzet level, category and project, kept up to date by triggers on core.spending (whatever feed loads it); the source of the spending reports.';

create function rpt.spending_summary_apply() returns trigger
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
    if tg_op in ('DELETE', 'UPDATE') then
        insert into rpt.spending_summary as s (gemeente_code, year, inzet_level, category, project_code, amount, lines)
        select gemeente_code, year, inzet_level, category, project_code, -sum(amount), -count(*)
        from gone_rows group by gemeente_code, year, inzet_level, category, project_code
        on conflict (gemeente_code, year, inzet_level, category, project_code)
        do update set amount = s.amount + excluded.amount, lines = s.lines + excluded.lines;
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        insert into rpt.spending_summary as s (gemeente_code, year, inzet_level, category, project_code, amount, lines)
        select gemeente_code, year, inzet_level, category, project_code, sum(amount), count(*)
        from new_rows group by gemeente_code, year, inzet_level, category, project_code
        on conflict (gemeente_code, year, inzet_level, category, project_code)
        do update set amount = s.amount + excluded.amount, lines = s.lines + excluded.lines;
    end if;
    delete from rpt.spending_summary where lines = 0;
    return null;
end
$$;
comment on function rpt.spending_summary_apply() is 'Keeps rpt.spending_summary equal to the sums of core.spending: adds the rows a statement inserted, subtracts those it deleted.';
revoke execute on function rpt.spending_summary_apply() from public;

create trigger spending_summary_insert after insert on core.spending
    referencing new table as new_rows for each statement execute function rpt.spending_summary_apply();
create trigger spending_summary_delete after delete on core.spending
    referencing old table as gone_rows for each statement execute function rpt.spending_summary_apply();
create trigger spending_summary_update after update on core.spending
    referencing old table as gone_rows new table as new_rows for each statement execute function rpt.spending_summary_apply();
