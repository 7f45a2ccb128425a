-- Current definition, re-applied by `leefbaar-etl migrate` whenever this file changes (etl.schema_model).
set local role leefbaar_owner;

create or replace view rpt.buurt_score with (security_invoker = true) as
select s.gemeente_code, s.area_code as buurt_code, a.name as buurt, s.edition_year,
       v.vhe, s.lbm, s.afw, s.won, s.fys, s.vrz, s.soc, s.onv
from core.leefbaarometer_score s
join rpt.vhe_per_buurt v on v.buurt_code = s.area_code and v.gemeente_code = s.gemeente_code
left join lateral (
    select a.name from core.area a where a.area_code = s.area_code order by a.year desc limit 1
) a on true
where s.level = 'buurt';
comment on view rpt.buurt_score is 'Leefbaarometer scores of the buurten where the corporation owns homes, with the number of homes.';
comment on column rpt.buurt_score.gemeente_code is 'CBS gemeente code.';
comment on column rpt.buurt_score.buurt_code is 'CBS buurt code.';
comment on column rpt.buurt_score.buurt is 'Name of the buurt (latest CBS year).';
comment on column rpt.buurt_score.edition_year is 'Leefbaarometer edition.';
comment on column rpt.buurt_score.vhe is 'The corporation''s rental units in the buurt.';
comment on column rpt.buurt_score.lbm is 'Total livability score.';
comment on column rpt.buurt_score.afw is 'Deviation from the national average.';
comment on column rpt.buurt_score.won is 'Woningvoorraad (housing stock).';
comment on column rpt.buurt_score.fys is 'Fysieke omgeving (physical environment).';
comment on column rpt.buurt_score.vrz is 'Voorzieningen (amenities).';
comment on column rpt.buurt_score.soc is 'Sociale samenhang (social cohesion).';
comment on column rpt.buurt_score.onv is 'Overlast en onveiligheid (nuisance and insecurity).';
