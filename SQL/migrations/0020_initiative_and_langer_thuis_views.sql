-- The initiatieven and langer-thuis reports' logic as views analysts can use too. Row-level
-- security as the caller (security_invoker): a tenant sees the sums of the rows it may see.
set local role leefbaar_owner;

create view rpt.initiative_per_year with (security_invoker = true) as
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

create view rpt.adaptation_per_year with (security_invoker = true) as
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

create view rpt.visitor_season with (security_invoker = true) as
select v.location, v.gemeente_code, g.name as gemeente,
       (extract(year from v.visit_date)::integer - case when extract(month from v.visit_date) <= 2 then 1 else 0 end) as season_year,
       sum(v.visitors) as visitors
from core.visit v join core.gemeente g using (gemeente_code)
where extract(month from v.visit_date) >= 10 or extract(month from v.visit_date) <= 2
group by v.location, v.gemeente_code, g.name, 4;
comment on view rpt.visitor_season is 'Visitors per location (e.g. the Beleefhuis) and season: a season runs from October of season_year to February of the next year. The langer-thuis report reads it.';
comment on column rpt.visitor_season.location is 'Where the visitors came.';
comment on column rpt.visitor_season.gemeente_code is 'CBS gemeente code.';
comment on column rpt.visitor_season.gemeente is 'Name of the gemeente.';
comment on column rpt.visitor_season.season_year is 'The year whose October starts the season.';
comment on column rpt.visitor_season.visitors is 'Visitors in the season.';
grant select on rpt.visitor_season to leefbaar_tenant, leefbaar_analyst;
