-- Current definition, re-applied by `leefbaar-etl migrate` whenever this file changes (etl.schema_model).
set local role leefbaar_owner;

create or replace function rpt.spending_summary_apply() returns trigger
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
