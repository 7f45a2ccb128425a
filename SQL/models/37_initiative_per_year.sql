-- Current definition, re-applied by `leefbaar-etl migrate` whenever this file changes (etl.schema_model).
-- Report logic as a view analysts can use too; row-level security as the caller (security_invoker).
set local role leefbaar_owner;

create or replace view rpt.initiative_per_year with (security_invoker = true) as
select i.gemeente_code, i.programme, extract(year from i.submitted_on)::integer as year,
       count(*) as submitted,
       count(*) filter (where i.status in ('toegekend', 'uitgevoerd')) as granted,
       count(*) filter (where i.status = 'afgewezen') as rejected,
       coalesce(sum(i.amount_granted), 0)::numeric(14,2) as amount_granted
from core.initiative i
group by i.gemeente_code, i.programme, extract(year from i.submitted_on);
comment on view rpt.initiative_per_year is 'Resident initiatives per gemeente, programme and year of submission: submitted, granted (toegekend or uitgevoerd), rejected, and the amounts granted. The initiatieven report sums it over gemeenten.';
comment on column rpt.initiative_per_year.gemeente_code is 'CBS gemeente code.';
comment on column rpt.initiative_per_year.programme is 'The programme the initiative came in through (e.g. MBA).';
comment on column rpt.initiative_per_year.year is 'Year the initiatives were submitted.';
comment on column rpt.initiative_per_year.submitted is 'Initiatives submitted.';
comment on column rpt.initiative_per_year.granted is 'Initiatives granted or carried out (status toegekend or uitgevoerd).';
comment on column rpt.initiative_per_year.rejected is 'Initiatives rejected (status afgewezen).';
comment on column rpt.initiative_per_year.amount_granted is 'Sum of the amounts granted, in euros (0 when none).';
grant select on rpt.initiative_per_year to leefbaar_tenant, leefbaar_analyst;
