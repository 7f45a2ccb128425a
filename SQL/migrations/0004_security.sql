-- Row-level security: a gemeente tenant sees its own gemeente's rows, a partner tenant the rows it
-- supplied or took part in; leefbaar_analyst reads everything, leefbaar_owner (the loader) does everything.
-- Policies are ENABLEd and FORCEd, so they hold for the owner too (the owner's policy allows all).
set local role leefbaar_owner;

create function core.tenant_gemeente(role_name text) returns text
    language sql stable security definer set search_path = pg_catalog, core
    as $$ select t.gemeente_code from core.tenant t where t.role_name = $1 $$;
comment on function core.tenant_gemeente(text) is 'The gemeente code of a gemeente tenant''s role, null for any other role.';

create function core.tenant_partner(role_name text) returns text
    language sql stable security definer set search_path = pg_catalog, core
    as $$ select t.partner_code from core.tenant t where t.role_name = $1 $$;
comment on function core.tenant_partner(text) is 'The partner code of a partner tenant''s role, null for any other role.';

create function core.partner_gemeenten(partner text) returns text[]
    language sql stable security definer set search_path = pg_catalog, core
    as $$
        select coalesce(array_agg(distinct g), '{}') from (
            select gemeente_code from core.activity_partner where partner_code = $1
            union select gemeente_code from core.care_case where partner_code = $1
            union select gemeente_code from core.visit where partner_code = $1
            union select gemeente_code from core.initiative where supplied_by = $1
            union select gemeente_code from core.adaptation where supplied_by = $1
            union select gemeente_code from core.project where partner_code = $1 and gemeente_code is not null
        ) as rows_of_partner (g)
    $$;
comment on function core.partner_gemeenten(text) is 'The gemeenten a partner has rows in (so it may see their names and areas).';

revoke all on function core.tenant_gemeente(text), core.tenant_partner(text), core.partner_gemeenten(text) from public;
grant execute on function core.tenant_gemeente(text), core.tenant_partner(text), core.partner_gemeenten(text)
    to leefbaar_tenant, leefbaar_analyst;

grant usage on schema core, rpt to leefbaar_tenant, leefbaar_analyst;
grant usage on schema etl to leefbaar_analyst;
grant select on all tables in schema core, rpt, etl to leefbaar_analyst;
alter default privileges for role leefbaar_owner in schema core, rpt, etl grant select on tables to leefbaar_analyst;

do $$
declare
    g constant text := '(select core.tenant_gemeente(current_user::text))';
    p constant text := '(select core.tenant_partner(current_user::text))';
    pg constant text := '(select core.partner_gemeenten(core.tenant_partner(current_user::text)))::text[]';
    rec record;
begin
    for rec in select * from (values
        ('gemeente',             format('gemeente_code = %s or gemeente_code = any (%s)', g, pg)),
        ('area',                 format('gemeente_code = %s or gemeente_code = any (%s)', g, pg)),
        ('partner',              format('%s is not null or partner_code = %s', g, p)),
        ('project',              format('gemeente_code = %s or partner_code = %s', g, p)),
        ('housing_unit',         format('gemeente_code = %s', g)),
        ('setting',              'true'),
        ('spending',             format('gemeente_code = %s or project_code in (select pr.project_code from core.project pr where pr.partner_code = %s)', g, p)),
        ('leefbaarometer_score', format('gemeente_code = %s', g)),
        ('initiative',           format('gemeente_code = %s or supplied_by = %s', g, p)),
        ('activity',             format('gemeente_code = %s or supplied_by = %s or exists (select 1 from core.activity_partner ap where ap.gemeente_code = activity.gemeente_code and ap.source = activity.source and ap.activity_id = activity.activity_id and ap.partner_code = %s)', g, p, p)),
        ('activity_partner',     format('gemeente_code = %s or partner_code = %s', g, p)),
        ('care_case',            format('gemeente_code = %s or partner_code = %s', g, p)),
        ('visit',                format('gemeente_code = %s or partner_code = %s', g, p)),
        ('adaptation',           format('gemeente_code = %s or supplied_by = %s', g, p))
    ) as t (tbl, expr) loop
        execute format('alter table core.%I enable row level security', rec.tbl);
        execute format('alter table core.%I force row level security', rec.tbl);
        execute format('create policy owner_all on core.%I to leefbaar_owner using (true) with check (true)', rec.tbl);
        execute format('create policy analyst_read on core.%I for select to leefbaar_analyst using (true)', rec.tbl);
        execute format('create policy tenant_read on core.%I for select to leefbaar_tenant using (%s)', rec.tbl, rec.expr);
        execute format('grant select on core.%I to leefbaar_tenant', rec.tbl);
    end loop;
end $$;

-- core.tenant maps roles to tenants: only the owner and analysts read it.
alter table core.tenant enable row level security;
alter table core.tenant force row level security;
create policy owner_all on core.tenant to leefbaar_owner using (true) with check (true);
create policy analyst_read on core.tenant for select to leefbaar_analyst using (true);
