-- title: Buurtinitiatieven per jaar
-- description: Bewonersinitiatieven per jaar tot en met het jaar: ingediend, toegekend, afgewezen, en de toegekende bedragen.
-- parameters: year
-- audience: corporation, gemeente, partner
-- money: toegekend_bedrag
-- chart: line x=jaar y=ingediend
-- label: jaar = Jaar
-- label: ingediend = Ingediend
-- label: toegekend = Toegekend | Toegekende en uitgevoerde initiatieven
-- label: afgewezen = Afgewezen
-- label: toegekend_bedrag = Toegekend bedrag
select extract(year from submitted_on)::integer as jaar, count(*) as ingediend,
       count(*) filter (where status in ('toegekend', 'uitgevoerd')) as toegekend,
       count(*) filter (where status = 'afgewezen') as afgewezen,
       coalesce(sum(amount_granted), 0) as toegekend_bedrag
from core.initiative
where extract(year from submitted_on) <= $1::integer
group by 1
order by 1
