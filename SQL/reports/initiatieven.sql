-- title: Buurtinitiatieven per jaar
-- description: Resident initiatives submitted per year up to the given year, by status, with the amounts granted.
-- parameters: year
-- audience: corporation, gemeente, partner
-- money: toegekend_bedrag
-- chart: line x=jaar y=ingediend
select extract(year from submitted_on)::integer as jaar, count(*) as ingediend,
       count(*) filter (where status in ('toegekend', 'uitgevoerd')) as toegekend,
       count(*) filter (where status = 'afgewezen') as afgewezen,
       coalesce(sum(amount_granted), 0) as toegekend_bedrag
from core.initiative
where extract(year from submitted_on) <= $1::integer
group by 1
order by 1
