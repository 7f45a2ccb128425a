-- Current definition, re-applied by `leefbaar-etl migrate` whenever this file changes (etl.schema_model).
set local role leefbaar_owner;

create or replace view rpt.buurt_inzet with (security_invoker = true) as
with cut as (
    select max(value::numeric) filter (where key = 'inzet.plus_sd') as plus_sd,
           max(value::numeric) filter (where key = 'inzet.plusplus_sd') as plusplus_sd
    from core.setting
), scored as (
    select b.*, round((b.afw - w.afw_mean) / nullif(w.afw_sd, 0), 2) as z,
           (select p.afw from core.leefbaarometer_score p
             where p.area_code = b.buurt_code and p.edition_year < b.edition_year
             order by p.edition_year desc limit 1) as prev_afw
    from rpt.buurt_score b
    join rpt.werkgebied_benchmark w using (edition_year)
)
select s.gemeente_code, s.buurt_code, s.buurt, s.edition_year, s.vhe, s.afw, s.won, s.fys, s.vrz, s.soc, s.onv,
       s.z as afw_werkgebied,
       case when s.z is null then null when s.z <= c.plusplus_sd then 'plusplus' when s.z <= c.plus_sd then 'plus' else 'basis' end as inzet,
       round(s.afw - s.prev_afw, 4) as verandering
from scored s cross join cut c;
comment on view rpt.buurt_inzet is 'Per buurt with own homes and Leefbaarometer edition: the deviation of afw from the werkgebied in standard deviations, the inzet level (settings inzet.plus_sd and inzet.plusplus_sd) and the change since the previous edition. The leefbaarometer report reads it.';
comment on column rpt.buurt_inzet.gemeente_code is 'CBS gemeente code.';
comment on column rpt.buurt_inzet.buurt_code is 'CBS buurt code.';
comment on column rpt.buurt_inzet.buurt is 'Name of the buurt.';
comment on column rpt.buurt_inzet.edition_year is 'Leefbaarometer edition.';
comment on column rpt.buurt_inzet.vhe is 'The corporation''s rental units in the buurt.';
comment on column rpt.buurt_inzet.afw is 'Deviation from the national average (Leefbaarometer afw).';
comment on column rpt.buurt_inzet.won is 'Woningvoorraad (housing stock).';
comment on column rpt.buurt_inzet.fys is 'Fysieke omgeving (physical environment).';
comment on column rpt.buurt_inzet.vrz is 'Voorzieningen (amenities).';
comment on column rpt.buurt_inzet.soc is 'Sociale samenhang (social cohesion).';
comment on column rpt.buurt_inzet.onv is 'Overlast en onveiligheid (nuisance and insecurity).';
comment on column rpt.buurt_inzet.afw_werkgebied is '(afw - werkgebied mean) / werkgebied standard deviation, VHE-weighted; null where the benchmark is not shown.';
comment on column rpt.buurt_inzet.inzet is 'plusplus (orange) at or below inzet.plusplus_sd, plus (yellow) at or below inzet.plus_sd, else basis.';
comment on column rpt.buurt_inzet.verandering is 'Change of afw since the previous edition.';
grant select on rpt.buurt_inzet to leefbaar_tenant, leefbaar_analyst;
