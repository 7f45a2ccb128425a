-- title: Focusgemeenten
-- description: Gemeenten below the werkgebied average on the Leefbaarometer dimensions related to the housing stock (setting focus.dimensions), in the latest edition up to the year.
-- parameters: year
-- audience: corporation
-- chart: bar x=gemeente y=won
select gemeente, edition_year as editie, vhe, won, fys, afw,
       array_to_string(below_werkgebied, ', ') as onder_werkgebied,
       case when focus then 'ja' else 'nee' end as focus
from rpt.gemeente_score
where edition_year = (select max(edition_year) from rpt.gemeente_score where edition_year <= $1::integer)
order by gemeente_score.focus desc, gemeente
