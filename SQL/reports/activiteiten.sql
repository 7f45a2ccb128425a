-- title: Activiteiten leefbaarheid
-- description: Activiteiten voor leefbaarheid per gemeente en wijk in het jaar, met de partners die meededen.
-- parameters: year
-- audience: corporation, gemeente, partner
-- data: core.activity, core.partner, core.area
-- chart: bar x=gemeente y=activiteiten aggregate=count
-- label: gemeente = Gemeente
-- label: wijk = Wijk
-- label: datum = Datum
-- label: activiteit = Activiteit
-- label: soort = Soort activiteit
-- label: partners = Partners | Organisaties die aan de activiteit meededen
select a.gemeente, coalesce(w.name, a.wijk_code) as wijk, a.activity_date as datum, a.title as activiteit, a.kind as soort,
       coalesce(a.partners, '') as partners
from rpt.activity_overview a
left join lateral (select name from core.area w where w.area_code = a.wijk_code order by w.year desc limit 1) w on true
where a.year = $1::integer
order by a.gemeente, a.activity_date, a.activity_id
