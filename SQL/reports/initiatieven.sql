-- title: Buurtinitiatieven per jaar
-- description: Bewonersinitiatieven per jaar tot en met het jaar: ingediend, toegekend, afgewezen, en de toegekende bedragen.
-- parameters: year
-- audience: corporation, gemeente, partner
-- data: core.initiative
-- money: toegekend_bedrag
-- chart: line x=jaar y=ingediend
-- label: jaar = Jaar
-- label: ingediend = Ingediend
-- label: toegekend = Toegekend | Toegekende en uitgevoerde initiatieven
-- label: afgewezen = Afgewezen
-- label: toegekend_bedrag = Toegekend bedrag
select year as jaar, sum(submitted) as ingediend, sum(granted) as toegekend, sum(rejected) as afgewezen,
       sum(amount_granted) as toegekend_bedrag
from rpt.initiative_per_year
where year <= $1::integer
group by year
order by year
