-- Tenants create nothing in the database: no temporary tables (TEMP is PUBLIC's by default) and no
-- large objects (lo_create and friends are PUBLIC's by default). These need the database owner (or
-- a superuser) running the migration; without that, a notice says so and docs/security.md says
-- what to run by hand. The loader (leefbaar_owner) and analysts keep TEMP.
do $$
begin
    execute format('revoke temporary on database %I from public', current_database());
    execute format('grant temporary on database %I to leefbaar_owner, leefbaar_analyst', current_database());
exception when insufficient_privilege then
    raise notice 'TEMP was not revoked from PUBLIC: run "revoke temporary on database % from public" as its owner (docs/security.md)', current_database();
end
$$;

do $$
begin
    revoke execute on function pg_catalog.lo_create(oid), pg_catalog.lo_creat(integer), pg_catalog.lo_from_bytea(oid, bytea) from public;
exception when insufficient_privilege then
    raise notice 'large-object creation was not revoked from PUBLIC: run it as a superuser (docs/security.md)';
end
$$;
