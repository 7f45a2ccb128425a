-- Current definition, re-applied by `leefbaar-etl migrate` whenever this file changes (etl.schema_model).
set local role leefbaar_owner;

-- What an index is, without its name and table: the " USING btree (…)" part of its definition.
-- Two indexes of different tables are alike when these are equal.
create or replace function core.index_body(index oid) returns text
language sql stable set search_path = pg_catalog, pg_temp as $$
    select substring(pg_get_indexdef(index) from ' USING .*$')
$$;
comment on function core.index_body(oid) is 'An index''s definition without its name and table (" USING btree (…)"), to compare indexes of different tables.';
revoke execute on function core.index_body(oid) from public;

-- The primary key every partition of core.spending has, as the default partition has it.
create or replace function core.spending_key_body() returns text
language sql stable set search_path = pg_catalog, pg_temp as $$
    select core.index_body(c.conindid) from pg_constraint as c
    where c.conrelid = 'core.spending_default'::regclass and c.contype = 'p'
$$;
comment on function core.spending_key_body() is 'The index body (core.index_body) of the primary key every partition of core.spending has.';
revoke execute on function core.spending_key_body() from public;

-- The CREATE INDEX statements `fresh` still lacks to be a partition of core.spending: the primary key
-- (core.spending_key_body, as a unique index), first, then each index of the parent, each taken
-- from the catalog. The loader runs them before the exchange, two at a time on its two
-- connections (the fresh table is committed, so both can build on it at once); the exchange
-- builds whatever is still missing.
create or replace function core.spending_exchange_indexes(fresh regclass) returns setof text
language sql stable set search_path = pg_catalog, pg_temp as $$
    with wanted as (
        select 0::bigint as n, true as is_unique, core.spending_key_body() as body
        union all
        select
            row_number() over (order by i.indexrelid),
            i.indisunique,
            core.index_body(i.indexrelid)
        from pg_index as i where i.indrelid = 'core.spending'::regclass
    )

    select format('create %sindex on %s%s', case when w.is_unique then 'unique ' else '' end, fresh, w.body)
    from wanted as w
    where w.body is not null and not exists (
        select from pg_index as j
        where j.indrelid = fresh and j.indisunique = w.is_unique and core.index_body(j.indexrelid) = w.body
    )
    order by w.n
$$;
comment on function core.spending_exchange_indexes(regclass) is 'The CREATE INDEX statements a fresh table still lacks to be a partition of core.spending (primary key first), for the loader to run before core.spending_exchange.';
revoke execute on function core.spending_exchange_indexes(regclass) from public;

-- The groups of rpt.spending_summary, as a column list.
create or replace function core.spending_summary_groups() returns text
language sql immutable set search_path = pg_catalog, pg_temp as $$
    select 'gemeente_code, year, inzet_level, category, project_code'
$$;
comment on function core.spending_summary_groups() is 'The columns rpt.spending_summary groups core.spending by, as a column list.';
revoke execute on function core.spending_summary_groups() from public;

-- The sum of a table's rows (of core.spending's columns) per group of rpt.spending_summary, as a query.
create or replace function core.spending_summary_query(rows regclass) returns text
language sql stable set search_path = pg_catalog, pg_temp as $$
    select format('select %1$s, sum(amount) as amount, count(*) as lines from %2$s group by %1$s', core.spending_summary_groups(), rows)
$$;
comment on function core.spending_summary_query(regclass) is 'The query that sums a table of core.spending''s columns per group of rpt.spending_summary.';
revoke execute on function core.spending_summary_query(regclass) from public;

-- Where the loader's second connection sums a fresh table for rpt.spending_summary: a table beside it.
create or replace function core.spending_summary_table(fresh regclass) returns text
language sql stable set search_path = pg_catalog, pg_temp as $$
    select format('%I.%I', n.nspname, c.relname || '_summary') from pg_class as c
    join pg_namespace as n on n.oid = c.relnamespace where c.oid = fresh
$$;
comment on function core.spending_summary_table(regclass) is 'The table beside a fresh table where the loader sums it for rpt.spending_summary (core.spending_exchange_steps).';
revoke execute on function core.spending_summary_table(regclass) from public;

-- What the loader runs on a fresh table before core.spending_exchange, on its two connections at
-- once (the fresh table is committed): `second` steps on the second connection, in order, each in
-- a transaction of its own; the others on the load's connection, in its transaction. A step of
-- the load's connection starts once the second's steps of earlier phases have ended (it may need
-- a lock those hold: the load's transaction keeps its locks to its end, so the second connection
-- must never wait for it). Phase 1: the indexes still missing (core.spending_exchange_indexes:
-- the key, the costliest, on the second connection, the others on the load's; builds take SHARE
-- locks, which do not conflict). Phase 2: the load's connection adds the parent's foreign keys
-- (one anti-join each) while the second sums the year's groups for rpt.spending_summary into
-- core.spending_summary_table(fresh). Both would otherwise run in the exchange, in one process
-- each, after the builds; the second connection's build ends before the load's two at millions of
-- rows. The exchange takes that sum when it holds the fresh table's rows of the year and no more.
create or replace function core.spending_exchange_steps(fresh regclass) returns table (second boolean, phase integer, statement text)
language sql stable set search_path = pg_catalog, pg_temp as $$
    select s.second, s.phase, s.statement from (
        select i.n = 1 as second, 1 as phase, i.statement, i.n as step
        from core.spending_exchange_indexes(fresh) with ordinality as i (statement, n)
        union all
        select false, 2, format('alter table %s add constraint %I %s', fresh, c.conname, pg_get_constraintdef(c.oid)), 1000
        from pg_constraint as c
        where c.conrelid = 'core.spending'::regclass and c.contype = 'f'
              and not exists (select from pg_constraint as f where f.conrelid = fresh and f.conname = c.conname)
        union all
        select true, 2, format('drop table if exists %s', core.spending_summary_table(fresh)), 2000
        union all
        select true, 2, format('create table %s as %s', core.spending_summary_table(fresh), core.spending_summary_query(fresh)), 2001
    ) as s
    order by s.step, s.statement
$$;
comment on function core.spending_exchange_steps(regclass) is 'What the loader runs on a fresh table before core.spending_exchange, on its two connections at once, in phases: the missing indexes; the parent''s foreign keys and the year''s sum for rpt.spending_summary.';
revoke execute on function core.spending_exchange_steps(regclass) from public;

drop function if exists core.spending_held_query(integer);

-- The first step of a year's exchange, in the load's transaction: core.spending is locked against
-- writes (readers go on) to the transaction's end, and the query that counts the year's rows per
-- batch, in its partition (when there is one) and the default partition, as one jsonb object
-- {batch: rows} (column `counted`), is returned. The loader
-- runs that query on its second connection once this lock is held, so the count sees every row a
-- writer committed before it and no writer can add one afterwards, while the load's connection
-- checks the fresh table's rules (core.spending_exchange_rules); it hands the count to
-- core.spending_exchange. The parent is locked, not the partition: a writer waits before it holds
-- anything, so the exchange's later exclusive lock on the parent cannot deadlock with it.
create or replace function core.spending_exchange_lock(y integer) returns text
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
    lock table core.spending in share mode;
    return (
        select format(
            'select coalesce(jsonb_object_agg(batch_id, n), ''{}'') as counted from (select batch_id, count(*) as n from (%s) as h group by 1) as g',
            string_agg(format('select batch_id from %s where year = %s', c.oid::regclass, y), ' union all ' order by c.oid)
        )
        from pg_class as c
        where c.oid in ('core.spending_default'::regclass, to_regclass('core.spending_' || y))
    );
end
$$;
comment on function core.spending_exchange_lock(integer) is 'Locks core.spending against writes for the load''s transaction and returns the query that counts a year''s rows per batch, for the loader''s second connection.';
revoke execute on function core.spending_exchange_lock(integer) from public;

-- The parent's NOT NULLs, CHECKs and foreign keys, and the year's range, on a fresh table of year
-- y: those it lacks, added in one ALTER TABLE (the NOT NULLs and CHECKs verified in one scan, in
-- one process; each foreign key by one anti-join). ATTACH then reuses them, and the range spares
-- its scan. The loader's fresh table has none of them (a row that breaks one became a reject),
-- but for the foreign keys core.spending_exchange_steps adds; it is made without autovacuum (it
-- would take a lock the index builds wait for), which it gets back here. Run by the loader
-- while its second connection counts the year (core.spending_exchange_lock), and by
-- core.spending_exchange for whatever is still missing.
create or replace function core.spending_exchange_rules(fresh regclass, y integer) returns void
language plpgsql set search_path = pg_catalog, pg_temp set work_mem = '64MB' set jit = off as $$
declare
    range_name constant text := 'spending_' || y || '_range';
begin
    execute format('alter table %s %s', fresh, concat_ws(', ',
        (select string_agg(format('alter column %I set not null', a.attname), ', ' order by a.attnum)
         from pg_attribute as a join pg_attribute as f on f.attrelid = fresh and f.attname = a.attname
         where a.attrelid = 'core.spending'::regclass and a.attnum > 0 and not a.attisdropped and a.attnotnull and not f.attnotnull),
        (select string_agg(format('add constraint %I %s', c.conname, pg_get_constraintdef(c.oid)), ', ' order by c.conname)
         from pg_constraint as c where c.conrelid = 'core.spending'::regclass and c.contype in ('c', 'f')
               and not exists (select from pg_constraint as f where f.conrelid = fresh and f.conname = c.conname)),
        case when not exists (select from pg_constraint as f where f.conrelid = fresh and f.conname = range_name) then
            format('add constraint %I check (booking_date >= %L and booking_date < %L)', range_name, make_date(y, 1, 1), make_date(y + 1, 1, 1))
        end,
        'reset (autovacuum_enabled)'));
end
$$;
comment on function core.spending_exchange_rules(regclass, integer) is 'Adds the NOT NULLs, CHECKs, foreign keys of core.spending and the year''s range that a fresh table of that year lacks (one scan).';
revoke execute on function core.spending_exchange_rules(regclass, integer) from public;

-- A replace load of a partitioned target calls <target>_exchange(fresh, year, feed, batch, rows, held) once per
-- year of its file, inside the load's transaction, with `fresh` holding the batch's rows of that
-- year (`rows` of them, no indexes). The function keeps the rows of other feeds, tallies what earlier batches of
-- the feed lose (leefbaar_gone, leefbaar_scope: the load's temp tables), adjusts the summary,
-- builds the indexes once, and puts `fresh` in place of the year's partition. `held`: the year's
-- rows per batch as core.spending_exchange_lock's query counted them under its lock in this
-- transaction; when null, the function locks and counts itself.
drop function if exists core.spending_exchange(regclass, integer, text, bigint, bigint);
create or replace function core.spending_exchange(
    fresh regclass, y integer, feed text, batch bigint, brought bigint, held jsonb default null
) returns void
language plpgsql set search_path = pg_catalog, pg_temp set maintenance_work_mem = '256MB' set work_mem = '64MB' set jit = off as $$
declare
    name constant text := 'spending_' || y;
    old constant regclass := to_regclass('core.' || name);
    earlier constant bigint[] := array(select b.batch_id from etl.batch b where b.feed = spending_exchange.feed and b.batch_id <> spending_exchange.batch);
    -- The parent's stored columns (not the generated year), from the catalog.
    cols constant text := (select string_agg(quote_ident(a.attname), ', ' order by a.attnum) from pg_attribute a
                           where a.attrelid = 'core.spending'::regclass and a.attnum > 0 and not a.attisdropped and a.attgenerated = '');
    groups constant text := core.spending_summary_groups();
    summed regclass := to_regclass(core.spending_summary_table(fresh));
    summed_fits boolean := false;
    holders regclass[] := array['core.spending_default'::regclass];
    holder regclass;
    counted jsonb := held;
    count_query text;
    rec record;
    kept bigint := 0;
    pkey text;
    fresh_name constant text := (select relname from pg_class where oid = fresh);
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
    -- batches of the feed lose theirs; every other row is kept. Counted under the write lock
    -- (core.spending_exchange_lock): a row another session adds to the year after the count would
    -- otherwise go with the old partition, uncounted and not kept. The loader counts on its second
    -- connection once it holds the lock; else here, by a CREATE TABLE AS, with parallel workers (a
    -- loop over a query, or EXECUTE … INTO, runs in one process). Locking again is a no-op.
    count_query := core.spending_exchange_lock(y);
    if counted is null then
        execute format('create temp table leefbaar_held as %s', count_query);
        select h.counted into counted from pg_temp.leefbaar_held as h;
        drop table pg_temp.leefbaar_held;
    end if;
    for rec in select e.key::bigint as batch_id, e.value::bigint as n from jsonb_each_text(counted) as e loop
        if rec.batch_id = any (earlier) then
            insert into leefbaar_gone values (rec.batch_id, y::text, rec.n);
        else
            kept := kept + rec.n;
        end if;
    end loop;
    if kept > 0 then
        -- Kept rows go in before the foreign keys (core.spending_exchange_steps may have added
        -- them): an insert under a deferred key leaves trigger events, and ALTER TABLE below would
        -- refuse the table. The keys are added again below, checked over all the rows.
        for rec in select c.conname from pg_constraint as c where c.conrelid = fresh and c.contype = 'f' loop
            execute format('alter table %s drop constraint %I', fresh, rec.conname);
        end loop;
        foreach holder in array holders loop
            execute format('insert into %s (%s) select %s from %s where year = %s and batch_id <> all ($1)', fresh, cols, cols, holder, y)
                using earlier;
        end loop;
    end if;
    -- Indexes built once, sorting in memory (this function runs with maintenance_work_mem 256MB and
    -- work_mem 64MB, so the summary's groups are hashed in memory too; and without JIT, whose
    -- compiling costs these one-pass scans more than it saves): those the loader has not built
    -- already (core.spending_exchange_indexes). Before the statistics: ANALYZE would wait for an
    -- index the loader's other connection is still building.
    for rec in select core.spending_exchange_indexes(fresh) as statement loop
        execute rec.statement;
    end loop;
    -- Statistics next: without them the planner takes every tenth row for a group of its own and,
    -- at millions of rows, sorts the year to make the summary's few thousand groups instead of
    -- hashing them (10M lines: 36 s for the summary). The partition keeps them once attached.
    -- The loader analyzes the table before the index builds; rows kept from other feeds call for
    -- a new count.
    if kept > 0 or not exists (
        select from pg_stats as st join pg_class as c on c.relname = st.tablename
        join pg_namespace as n on n.oid = c.relnamespace and n.nspname = st.schemaname
        where c.oid = fresh
    ) then
        execute format('analyze %s', fresh);
    end if;
    -- An exchange fires no statement trigger. rpt.spending_summary groups by year, so the year's
    -- groups are exactly what goes; what comes is the fresh table's (kept rows included): the
    -- loader's sum of it (core.spending_exchange_steps) when that holds the year's rows and no
    -- more, else summed here by a CREATE TABLE AS, which PostgreSQL runs with parallel workers
    -- (an INSERT … SELECT runs in one process).
    delete from rpt.spending_summary where year = y;
    if summed is not null then
        execute format('select %s = coalesce(sum(lines) filter (where year = %s), 0) and count(*) filter (where year is distinct from %s) = 0 from %s',
                       brought, y, y, summed) into summed_fits;
    end if;
    if kept > 0 or not summed_fits then
        if summed is not null then
            execute format('drop table %s', summed);
        end if;
        execute format('create temp table leefbaar_summary as %s', core.spending_summary_query(fresh));
        summed := 'pg_temp.leefbaar_summary'::regclass;
    end if;
    execute format('insert into rpt.spending_summary (%s, amount, lines) select %s, amount, lines from %s', groups, groups, summed);
    execute format('drop table %s', summed);
    -- The rules the fresh table still lacks (all of them unless the loader added them already;
    -- the foreign keys again when kept rows went in).
    perform core.spending_exchange_rules(fresh, y);
    -- The primary key from its unique index (the columns are NOT NULL by now: no scan). ATTACH
    -- then finds every index and builds nothing; the range constraint above spares its scan.
    pkey := (select c.relname from pg_index j join pg_class c on c.oid = j.indexrelid
             where j.indrelid = fresh and j.indisunique and core.index_body(j.indexrelid) = core.spending_key_body()
             limit 1);
    if pkey is null then
        raise exception 'core.spending_default has no primary key to give %', fresh;
    end if;
    execute format('alter table %s add constraint %I primary key using index %I', fresh, name || '_pkey', pkey);
    delete from core.spending_default where year = y;
    if old is not null then
        execute format('drop table %s', old);
    end if;
    execute format('alter table %s set schema core', fresh);
    -- The indexes are named after the fresh table; they take the partition's name, as ATTACH would give.
    for rec in select c.relname from pg_index i join pg_class c on c.oid = i.indexrelid
               where i.indrelid = fresh and not i.indisprimary and starts_with(c.relname, fresh_name || '_') loop
        execute format('alter index core.%I rename to %I', rec.relname, name || substr(rec.relname, length(fresh_name) + 1));
    end loop;
    execute format('alter table core.%I rename to %I', fresh_name, name);
    execute format('alter table core.spending attach partition core.%I for values from (%L) to (%L)', name, make_date(y, 1, 1), make_date(y + 1, 1, 1));
    perform core.spending_secure_partition(('core.' || name)::regclass, 'the rows booked in ' || y);
end
$$;
comment on function core.spending_exchange(regclass, integer, text, bigint, bigint, jsonb) is 'Puts a load''s rows of one booking year (brought: how many) in place of that year''s partition of core.spending: keeps other feeds'' rows, tallies what the feed''s earlier batches lose (held: the year''s rows per batch, counted under core.spending_exchange_lock), replaces the year in rpt.spending_summary, builds the indexes the loader has not built.';
revoke execute on function core.spending_exchange(regclass, integer, text, bigint, bigint, jsonb) from public;
