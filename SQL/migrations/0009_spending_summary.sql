-- Reports read spending from a small aggregate refreshed at load time (the ledger feed's
-- after_load), not from a million ledger lines. Row-level security as on core.spending.
set local role leefbaar_owner;

create table rpt.spending_summary (
    gemeente_code text not null,
    year          integer not null,
    inzet_level   text not null,
    category      text not null,
    project_code  text,
    amount        numeric(14,2) not null,
    lines         bigint not null
);
comment on table rpt.spending_summary is 'Spending per gemeente, year, inzet level, category and project, refreshed by every ledger load; the source of the spending reports.';
comment on column rpt.spending_summary.gemeente_code is 'CBS gemeente code.';
comment on column rpt.spending_summary.year is 'Booking year.';
comment on column rpt.spending_summary.inzet_level is 'basis, plus or plusplus.';
comment on column rpt.spending_summary.category is 'Kind of spending.';
comment on column rpt.spending_summary.project_code is 'Project booked on (null when none).';
comment on column rpt.spending_summary.amount is 'Sum of the ledger lines in euro.';
comment on column rpt.spending_summary.lines is 'Number of ledger lines.';
create index spending_summary_year on rpt.spending_summary (year, gemeente_code);

insert into rpt.spending_summary
select gemeente_code, year, inzet_level, category, project_code, sum(amount), count(*)
from core.spending group by gemeente_code, year, inzet_level, category, project_code;

alter table rpt.spending_summary enable row level security;
alter table rpt.spending_summary force row level security;
create policy owner_all on rpt.spending_summary to leefbaar_owner using (true) with check (true);
create policy analyst_read on rpt.spending_summary for select to leefbaar_analyst using (true);
create policy tenant_read on rpt.spending_summary for select to leefbaar_tenant using (
    gemeente_code = (select core.tenant_gemeente(current_user::text))
    or project_code in (select pr.project_code from core.project pr where pr.partner_code = (select core.tenant_partner(current_user::text))));
grant select on rpt.spending_summary to leefbaar_tenant, leefbaar_analyst;

create or replace view rpt.spending_per_gemeente with (security_invoker = true) as
select s.gemeente_code, g.name as gemeente, s.year, s.inzet_level, s.category,
       sum(s.amount) as amount, sum(s.lines)::bigint as lines
from rpt.spending_summary s
join core.gemeente g using (gemeente_code)
group by s.gemeente_code, g.name, s.year, s.inzet_level, s.category;
