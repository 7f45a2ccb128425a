-- title: Uitgaven leefbaarheid per gemeente
-- description: Uitgaven aan leefbaarheid per gemeente in het jaar, naar inzetniveau, met het totaal.
-- parameters: year
-- audience: corporation, gemeente
-- data: core.spending
-- money: basis, plus, plusplus, uitgaven
-- chart: stacked x=gemeente y=basis,plus,plusplus
-- label: gemeente = Gemeente
-- label: basis = Basis | Inzet basis: schoon, heel en veilig, overal
-- label: plus = Plus | Inzet plus in gele gebieden: ook leefbaarheidsprojecten
-- label: plusplus = Plusplus | Inzet plusplus in oranje gebieden: een wijkvisie met uitvoeringsprogramma
-- label: uitgaven = Uitgaven
-- total: gemeente=Totaal
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
