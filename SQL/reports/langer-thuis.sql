-- title: Langer zelfstandig thuis
-- description: Woningaanpassingen uit het pakket Langer Zelfstandig Thuis per gemeente in het jaar, en de bezoekers van het Beleefhuis van oktober van het jaar tot en met februari van het jaar erna.
-- parameters: year
-- audience: corporation, gemeente, partner
-- money: kosten
-- chart: bar x=gemeente y=kosten
-- label: onderdeel = Onderdeel
-- label: gemeente = Gemeente
-- label: aantal = Aantal | Aanpassingen, of bezoekers
-- label: kosten = Kosten
-- total: gemeente=Totaal
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
