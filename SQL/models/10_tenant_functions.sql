-- Current definition, re-applied by `leefbaar-etl migrate` whenever this file changes (etl.schema_model).
set local role leefbaar_owner;

create or replace function core.caller_role() returns text
    language sql stable set search_path = pg_catalog
    as $$ select coalesce(nullif(current_setting('role'), 'none'), session_user::text) $$;
comment on function core.caller_role() is 'The role a query runs as, also inside SECURITY DEFINER functions: the role set with SET ROLE, else the login.';
revoke execute on function core.caller_role(), core.caller_reads_all() from public;
grant execute on function core.caller_role(), core.caller_reads_all() to leefbaar_tenant, leefbaar_analyst;

create or replace function core.caller_reads_all() returns boolean
    language sql stable set search_path = pg_catalog, core
    as $$ select pg_has_role(core.caller_role(), 'leefbaar_analyst', 'MEMBER') or pg_has_role(core.caller_role(), 'leefbaar_owner', 'MEMBER') $$;
comment on function core.caller_reads_all() is 'Whether the caller is the owner or an analyst (who read every tenant''s rows anyway).';

create or replace function core.tenant_gemeente(role_name text) returns text
    language sql stable security definer set search_path = pg_catalog, core
    as $$ select t.gemeente_code from core.tenant t where t.role_name = $1 and ($1 = core.caller_role() or core.caller_reads_all()) $$;
comment on function core.tenant_gemeente(text) is 'The gemeente code of a gemeente tenant''s role, for that role itself (or the owner and analysts); null otherwise.';
revoke all on function core.tenant_gemeente(text), core.tenant_partner(text), core.partner_gemeenten(text) from public;
grant execute on function core.tenant_gemeente(text), core.tenant_partner(text), core.partner_gemeenten(text)
    to leefbaar_tenant, leefbaar_analyst;

create or replace function core.tenant_partner(role_name text) returns text
    language sql stable security definer set search_path = pg_catalog, core
    as $$ select t.partner_code from core.tenant t where t.role_name = $1 and ($1 = core.caller_role() or core.caller_reads_all()) $$;
comment on function core.tenant_partner(text) is 'The partner code of a partner tenant''s role, for that role itself (or the owner and analysts); null otherwise.';

create or replace function core.partner_gemeenten(partner text) returns text[]
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
        where $1 = (select t.partner_code from core.tenant t where t.role_name = core.caller_role()) or core.caller_reads_all()
    $$;
comment on function core.partner_gemeenten(text) is 'The gemeenten a partner has rows in (so it may see their names and areas), for that partner itself (or the owner and analysts); empty otherwise.';
