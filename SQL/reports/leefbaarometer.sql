-- title: Leefbaarometer per buurt met eigen bezit
-- description: Scores van de buurten met eigen woningen in de laatste Leefbaarometer-editie tot en met het jaar, de afwijking van ons werkgebied in standaardafwijkingen, het inzetniveau en de verandering sinds de vorige editie.
-- parameters: year
-- audience: corporation, gemeente
-- chart: ranked x=buurt y=afw_werkgebied color=inzet
-- label: buurt = Buurt
-- label: gemeente = Gemeente
-- label: editie = Editie
-- label: vhe = Verhuureenheden
-- label: afw = Totaalscore (afwijking) | Afwijking van het landelijk gemiddelde (Leefbaarometer afw)
-- label: won = Woningvoorraad | Afwijking op de dimensie woningvoorraad
-- label: fys = Fysieke omgeving | Afwijking op de dimensie fysieke omgeving
-- label: vrz = Voorzieningen | Afwijking op de dimensie voorzieningen
-- label: soc = Sociale samenhang | Afwijking op de dimensie sociale samenhang
-- label: onv = Overlast en onveiligheid | Afwijking op de dimensie overlast en onveiligheid
-- label: afw_werkgebied = Afwijking van het werkgebied (sd) | Hoeveel standaardafwijkingen de totaalscore van de buurt afwijkt van het VHE-gewogen gemiddelde van ons werkgebied
-- label: inzet = Inzetniveau | basis; plus (geel) en plusplus (oranje) onder de grenzen inzet.plus_sd en inzet.plusplus_sd
-- label: verandering = Verandering | Verschil in totaalscore met de vorige editie
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
