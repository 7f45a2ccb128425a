-- title: Focusgemeenten
-- description: Gemeenten die op de Leefbaarometer-dimensies die met het woningbezit samenhangen (instelling focus.dimensions) onder het gemiddelde van ons werkgebied scoren, in de laatste editie tot en met het jaar.
-- parameters: year
-- audience: corporation
-- data: core.leefbaarometer_score, core.housing_unit, core.area
-- chart: bar x=gemeente y=won
-- label: gemeente = Gemeente
-- label: editie = Editie | Jaar van de Leefbaarometer-editie
-- label: vhe = Verhuureenheden | Eigen woningen in de gemeente (laatste peildatum)
-- label: won = Woningvoorraad (afwijking) | VHE-gewogen gemiddelde afwijking van het landelijk gemiddelde op de dimensie woningvoorraad
-- label: fys = Fysieke omgeving (afwijking) | VHE-gewogen gemiddelde afwijking van het landelijk gemiddelde op de dimensie fysieke omgeving
-- label: afw = Totaalscore (afwijking) | VHE-gewogen gemiddelde afwijking van het landelijk gemiddelde op de totaalscore
-- label: onder_werkgebied = Onder het werkgebied op | Dimensies waarop de gemeente onder het gemiddelde van het werkgebied scoort (won, fys, vrz, soc, onv)
-- label: focus = Focusgemeente | Ja wanneer de gemeente onder het werkgebied scoort op een dimensie van focus.dimensions
select gemeente, edition_year as editie, vhe, won, fys, afw,
       array_to_string(below_werkgebied, ', ') as onder_werkgebied,
       case when focus then 'ja' else 'nee' end as focus
from rpt.gemeente_score s
where s.edition_year = (select max(g.edition_year) from rpt.gemeente_score g where g.edition_year <= $1::integer)
order by s.focus desc, gemeente
