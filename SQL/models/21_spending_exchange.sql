-- Current definition, re-applied by `leefbaar-etl migrate` whenever this file changes (etl.schema_model).
set local role leefbaar_owner;

-- A replace load of a partitioned target calls <target>_exchange(fresh, year, feed, batch, rows) once per
-- year of its file, inside the load's transaction, with `fresh` holding the batch's rows of that
-- year (`rows` of them, no indexes). The function keeps the rows of other feeds, tallies what earlier batches of
-- the feed lose (leefbaar_gone, leefbaar_scope: the load's temp tables), adjusts the summary,
-- builds the indexes once, and puts `fresh` in place of the year's partition.
create or replace function core.spending_exchange(fresh regclass, y integer, feed text, batch bigint, brought bigint) returns void
language plpgsql set search_path = pg_catalog, pg_temp set maintenance_work_mem = '256MB' set work_mem = '64MB' as $$
declare
    name constant text := 'spending_' || y;
    old constant regclass := to_regclass('core.' || name);
    earlier constant bigint[] := array(select b.batch_id from etl.batch b where b.feed = spending_exchange.feed and b.batch_id <> spending_exchange.batch);
    -- The parent's stored columns (not the generated year), from the catalog.
    cols constant text := (select string_agg(quote_ident(a.attname), ', ' order by a.attnum) from pg_attribute a
                           where a.attrelid = 'core.spending'::regclass and a.attnum > 0 and not a.attisdropped and a.attgenerated = '');
    groups constant text := 'gemeente_code, year, inzet_level, category, project_code';
    holders regclass[] := array['core.spending_default'::regclass];
    holder regclass;
    rec record;
    kept bigint := 0;
    pkey text;
begin
    if old is not null then
        if not exists (select 1 from pg_inherits where inhrelid = old and inhparent = 'core.spending'::regclass) then
            raise exception '% is not a partition of core.spending', old;
        end if;
        holders := holders || old;
    end if;
    insert into leefbaar_scope as s values (y::text, brought)
        on conflict (scope) do update set brought = s.brought + excluded.brought;
    -- The year's rows now: its partition and the default partition's rows of the year. Earlier
    -- batches of the feed lose theirs; every other row is kept.
    foreach holder in array holders loop
        for rec in execute format('select batch_id, count(*) as n from %s where year = %s group by 1', holder, y) loop
            if rec.batch_id = any (earlier) then
                insert into leefbaar_gone values (rec.batch_id, y::text, rec.n);
            else
                kept := kept + rec.n;
            end if;
        end loop;
    end loop;
    if kept > 0 then
        foreach holder in array holders loop
            execute format('insert into %s (%s) select %s from %s where year = %s and batch_id <> all ($1)', fresh, cols, cols, holder, y)
                using earlier;
        end loop;
    end if;
    -- Statistics first: without them the planner takes every tenth row for a group of its own and,
    -- at millions of rows, sorts the year to make the summary's few thousand groups instead of
    -- hashing them (10M lines: 36 s for the summary). The partition keeps them once attached.
    execute format('analyze %s', fresh);
    -- An exchange fires no statement trigger. rpt.spending_summary groups by year, so the year's
    -- groups are exactly what goes; what comes is the fresh table's (kept rows included).
    delete from rpt.spending_summary where year = y;
    execute format('insert into rpt.spending_summary (%s, amount, lines) select %s, sum(amount), count(*) from %s group by %s', groups, groups, fresh, groups);
    -- The parent's NOT NULLs, CHECKs and foreign keys (the loader's fresh table has none, so a row
    -- that breaks one became a reject) and the year's range: the NOT NULLs and CHECKs verified in
    -- one scan, each foreign key in one anti-join; ATTACH reuses these constraints.
    execute format('alter table %s %s, add constraint %I check (booking_date >= %L and booking_date < %L)', fresh,
                   (select string_agg(format('alter column %I set not null', a.attname), ', ' order by a.attnum)
                    from pg_attribute a where a.attrelid = 'core.spending'::regclass and a.attnum > 0 and not a.attisdropped and a.attnotnull)
                   || coalesce((select ', ' || string_agg(format('add constraint %I %s', c.conname, pg_get_constraintdef(c.oid)), ', ' order by c.conname)
                                from pg_constraint c where c.conrelid = 'core.spending'::regclass and c.contype in ('c', 'f')), ''),
                   name || '_range', make_date(y, 1, 1), make_date(y + 1, 1, 1));
    -- Indexes built once, sorting in memory (this function runs with maintenance_work_mem 256MB and
    -- work_mem 64MB, so the summary's groups are hashed in memory too), taken from the catalog: the
    -- primary key every partition has (as the default partition has it) and each index of the parent.
    -- ATTACH then finds them all and builds nothing; the range constraint above spares its scan.
    pkey := (select pg_get_constraintdef(c.oid) from pg_constraint c where c.conrelid = 'core.spending_default'::regclass and c.contype = 'p');
    if pkey is null then
        raise exception 'core.spending_default has no primary key to give %', fresh;
    end if;
    execute format('alter table %s add constraint %I %s', fresh, name || '_pkey', pkey);
    for rec in select i.indisunique as is_unique, substring(pg_get_indexdef(i.indexrelid) from ' USING .*$') as body
               from pg_index i where i.indrelid = 'core.spending'::regclass order by i.indexrelid loop
        execute format('create %sindex on %s%s', case when rec.is_unique then 'unique ' else '' end, fresh, rec.body);
    end loop;
    delete from core.spending_default where year = y;
    if old is not null then
        execute format('drop table %s', old);
    end if;
    execute format('alter table %s set schema core', fresh);
    execute format('alter table core.%I rename to %I', (select relname from pg_class where oid = fresh), name);
    execute format('alter table core.spending attach partition core.%I for values from (%L) to (%L)', name, make_date(y, 1, 1), make_date(y + 1, 1, 1));
    perform core.spending_secure_partition(('core.' || name)::regclass, 'the rows booked in ' || y);
end
$$;
comment on function core.spending_exchange(regclass, integer, text, bigint, bigint) is 'Puts a load''s rows of one booking year (brought: how many) in place of that year''s partition of core.spending: keeps other feeds'' rows, tallies what the feed''s earlier batches lose, replaces the year in rpt.spending_summary, builds the indexes once.';
revoke execute on function core.spending_exchange(regclass, integer, text, bigint, bigint) from public;
