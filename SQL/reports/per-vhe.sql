-- title: Uitgaven per DAEB-verhuureenheid
-- description: Uitgaven aan leefbaarheid per DAEB-verhuureenheid per gemeente (het bedrag waar de grens per DAEB-eenheid uit de Woningwet over ging).
-- parameters: year
-- audience: corporation, gemeente
-- data: core.spending, core.housing_unit
-- money: uitgaven, per_daeb_vhe
-- chart: bar x=gemeente y=per_daeb_vhe
-- label: gemeente = Gemeente
-- label: uitgaven = Uitgaven
-- label: vhe = Verhuureenheden
-- label: daeb_vhe = DAEB-verhuureenheden | Sociale huurwoningen (diensten van algemeen economisch belang)
-- label: per_daeb_vhe = Per DAEB-eenheid
with spend as (
    select gemeente_code, gemeente, sum(amount) as uitgaven from rpt.spending_per_gemeente where year = $1::integer group by 1, 2
), units as (
    select gemeente_code, sum(vhe_daeb) as daeb_vhe, sum(vhe) as vhe from rpt.vhe_per_buurt group by 1
)
select s.gemeente, s.uitgaven, u.vhe, u.daeb_vhe, round(s.uitgaven / nullif(u.daeb_vhe, 0), 2) as per_daeb_vhe
from spend s left join units u using (gemeente_code)
order by s.gemeente
