-- title: Leefbaarometer per buurt met eigen bezit
-- description: Scores of the buurten with own homes in the latest edition up to the year, the deviation from the werkgebied in standard deviations, the inzet level, and the change since the previous edition.
-- parameters: year
-- audience: corporation, gemeente
-- chart: ranked x=buurt y=afw_werkgebied color=inzet
with edition as (
    select max(edition_year) as y from core.leefbaarometer_score where edition_year <= $1::integer
), cut as (
    select max(value::numeric) filter (where key = 'inzet.plus_sd') as plus_sd,
           max(value::numeric) filter (where key = 'inzet.plusplus_sd') as plusplus_sd
    from core.setting
), scored as (
    select b.*, w.afw_mean, w.afw_sd,
           round((b.afw - w.afw_mean) / nullif(w.afw_sd, 0), 2) as z,
           (select p.afw from core.leefbaarometer_score p
             where p.area_code = b.buurt_code and p.edition_year < b.edition_year
             order by p.edition_year desc limit 1) as prev_afw
    from rpt.buurt_score b
    join rpt.werkgebied_benchmark w using (edition_year)
    where b.edition_year = (select y from edition)
)
select s.buurt, g.name as gemeente, s.edition_year as editie, s.vhe, s.afw, s.won, s.fys, s.vrz, s.soc, s.onv,
       s.z as afw_werkgebied,
       case when s.z <= c.plusplus_sd then 'plusplus' when s.z <= c.plus_sd then 'plus' else 'basis' end as inzet,
       round(s.afw - s.prev_afw, 4) as verandering
from scored s cross join cut c join core.gemeente g using (gemeente_code)
order by s.z, s.buurt
