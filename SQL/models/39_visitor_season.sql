-- Current definition, re-applied by `leefbaar-etl migrate` whenever this file changes (etl.schema_model).
-- Report logic as a view analysts can use too; row-level security as the caller (security_invoker).
set local role leefbaar_owner;

create or replace view rpt.visitor_season with (security_invoker = true) as
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
