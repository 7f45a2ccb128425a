-- title: Langer zelfstandig thuis
-- description: Home adaptations of the Langer Zelfstandig Thuis package per gemeente in a year, and visitors of the Beleefhuis from October of the year to February of the next.
-- parameters: year
-- audience: corporation, gemeente, partner
-- money: kosten
-- chart: bar x=gemeente y=kosten
select onderdeel, gemeente, aantal, kosten from (
    select 1 as part, 'Aanpassingen' as onderdeel, g.name as gemeente, count(*) as aantal, sum(a.cost) as kosten
    from core.adaptation a join core.gemeente g using (gemeente_code)
    where extract(year from a.adaptation_date) = $1::integer
    group by g.name
    union all
    select 2, 'Aanpassingen', 'Totaal', count(*), sum(cost)
    from core.adaptation where extract(year from adaptation_date) = $1::integer having count(*) > 0
    union all
    select 3, 'Bezoekers ' || v.location, g.name, sum(v.visitors), null
    from core.visit v join core.gemeente g using (gemeente_code)
    where v.visit_date >= make_date($1::integer, 10, 1) and v.visit_date < make_date($1::integer + 1, 3, 1)
    group by v.location, g.name
) as t
order by part, gemeente
