-- Tenant codes are unique ignoring case: each tenant's export folder and role are its own.
set local role leefbaar_owner;

create unique index tenant_code_ignoring_case on core.tenant (lower(tenant_code));
