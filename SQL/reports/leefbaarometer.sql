-- title: Leefbaarometer per buurt met eigen bezit
-- description: Scores van de buurten met eigen woningen in de laatste Leefbaarometer-editie tot en met het jaar, de afwijking van ons werkgebied in standaardafwijkingen, het inzetniveau en de verandering sinds de vorige editie.
-- parameters: year
-- audience: corporation, gemeente
-- data: core.leefbaarometer_score, core.housing_unit, core.area
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
-- label: buurt_code = Buurtcode | CBS-code van de buurt, om de gegevens aan een kaart (GIS) te koppelen
-- label: gemeente_code = Gemeentecode | CBS-code van de gemeente
select i.buurt, g.name as gemeente, i.edition_year as editie, i.vhe, i.afw, i.won, i.fys, i.vrz, i.soc, i.onv,
       i.afw_werkgebied, i.inzet, i.verandering, i.buurt_code, i.gemeente_code
from rpt.buurt_inzet i join core.gemeente g using (gemeente_code)
where i.edition_year = (select max(edition_year) from core.leefbaarometer_score where edition_year <= $1::integer)
order by i.afw_werkgebied, i.buurt
