-- Partners of a programme (Mijn Buurt Assen: Vaart Welzijn, Stila) see the programme's initiatives.
set local role leefbaar_owner;

create table core.programme_partner (
    programme    text not null,
    partner_code text not null,
    batch_id     bigint,
    source_line  bigint,
    primary key (programme, partner_code)
);
comment on table core.programme_partner is 'Dimension: which partners work in a programme (e.g. MBA); they see its initiatives.';
comment on column core.programme_partner.programme is 'Programme code as in core.initiative (e.g. MBA).';
comment on column core.programme_partner.partner_code is 'A partner of the programme.';
comment on column core.programme_partner.batch_id is 'The load (etl.batch) this row came from.';
comment on column core.programme_partner.source_line is 'Line of the source file this row came from.';

alter table core.programme_partner enable row level security;
alter table core.programme_partner force row level security;
create policy owner_all on core.programme_partner to leefbaar_owner using (true) with check (true);
create policy analyst_read on core.programme_partner for select to leefbaar_analyst using (true);
create policy tenant_read on core.programme_partner for select to leefbaar_tenant
    using (partner_code = (select core.tenant_partner(current_user::text)));
grant select on core.programme_partner to leefbaar_tenant;
grant select on core.programme_partner to leefbaar_analyst;

drop policy tenant_read on core.initiative;
create policy tenant_read on core.initiative for select to leefbaar_tenant using (
    gemeente_code = (select core.tenant_gemeente(current_user::text))
    or supplied_by = (select core.tenant_partner(current_user::text))
    or programme in (select pp.programme from core.programme_partner pp
                     where pp.partner_code = (select core.tenant_partner(current_user::text))));
