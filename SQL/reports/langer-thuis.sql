-- title: Langer zelfstandig thuis
-- description: Woningaanpassingen uit het pakket Langer Zelfstandig Thuis per gemeente in het jaar, en de bezoekers van het Beleefhuis van oktober van het jaar tot en met februari van het jaar erna.
-- parameters: year
-- audience: corporation, gemeente, partner
-- data: core.adaptation, core.visit
-- money: kosten
-- chart: bar x=gemeente y=kosten
-- label: onderdeel = Onderdeel
-- label: gemeente = Gemeente
-- label: aantal = Aantal | Aanpassingen, of bezoekers
-- label: kosten = Kosten
-- total: gemeente=Totaal
select onderdeel, gemeente, aantal, kosten from (
    select 1 as part, 'Aanpassingen' as onderdeel, gemeente, sum(adaptations) as aantal, sum(cost) as kosten
    from rpt.adaptation_per_year where year = $1::integer
    group by gemeente
    union all
    select 2, 'Aanpassingen', 'Totaal', sum(adaptations), sum(cost)
    from rpt.adaptation_per_year where year = $1::integer having count(*) > 0
    union all
    select 3, 'Bezoekers ' || location, gemeente, sum(visitors), null
    from rpt.visitor_season where season_year = $1::integer
    group by location, gemeente
) as t
order by part, gemeente
