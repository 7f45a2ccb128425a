-- Current definition, re-applied by `leefbaar-etl migrate` whenever this file changes (etl.schema_model).
-- Report logic as a view analysts can use too; row-level security as the caller (security_invoker).
set local role leefbaar_owner;

create or replace view rpt.adaptation_per_year with (security_invoker = true) as
select a.gemeente_code, g.name as gemeente, extract(year from a.adaptation_date)::integer as year,
       count(*) as adaptations, sum(a.cost)::numeric(14,2) as cost
from core.adaptation a join core.gemeente g using (gemeente_code)
group by a.gemeente_code, g.name, extract(year from a.adaptation_date);
comment on view rpt.adaptation_per_year is 'Home adaptations (Langer Zelfstandig Thuis) per gemeente and year: how many and what they cost. The langer-thuis report reads it.';
comment on column rpt.adaptation_per_year.gemeente_code is 'CBS gemeente code.';
comment on column rpt.adaptation_per_year.gemeente is 'Name of the gemeente.';
comment on column rpt.adaptation_per_year.year is 'Year of the adaptations.';
comment on column rpt.adaptation_per_year.adaptations is 'Number of adaptations.';
comment on column rpt.adaptation_per_year.cost is 'Their cost in euros.';
grant select on rpt.adaptation_per_year to leefbaar_tenant, leefbaar_analyst;
