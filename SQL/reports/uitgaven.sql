-- title: Uitgaven leefbaarheid per gemeente
-- description: Livability spending per gemeente in a year, by inzet level, with the total.
-- parameters: year
-- audience: corporation, gemeente
-- money: basis, plus, plusplus, uitgaven
-- chart: stacked x=gemeente y=basis,plus,plusplus
with per as (
    select gemeente,
           coalesce(sum(amount) filter (where inzet_level = 'basis'), 0)::numeric(14,2) as basis,
           coalesce(sum(amount) filter (where inzet_level = 'plus'), 0)::numeric(14,2) as plus,
           coalesce(sum(amount) filter (where inzet_level = 'plusplus'), 0)::numeric(14,2) as plusplus,
           sum(amount) as uitgaven
    from rpt.spending_per_gemeente
    where year = $1::integer
    group by gemeente
)
select gemeente, basis, plus, plusplus, uitgaven from (
    select 0 as part, * from per
    union all
    select 1, 'Totaal', sum(basis), sum(plus), sum(plusplus), sum(uitgaven) from per having count(*) > 0
) as t
order by part, gemeente
