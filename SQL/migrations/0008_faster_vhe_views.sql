-- The latest stock snapshot per gemeente is found once per query, not once per rental unit.
set local role leefbaar_owner;

create index housing_unit_gemeente_as_of on core.housing_unit (gemeente_code, as_of);

create or replace view rpt.vhe_per_buurt with (security_invoker = true) as
with latest as (
    select gemeente_code, max(as_of) as as_of from core.housing_unit group by gemeente_code
)
select h.gemeente_code, h.buurt_code, h.as_of, count(*) as vhe, count(*) filter (where h.daeb) as vhe_daeb
from core.housing_unit h
join latest l on l.gemeente_code = h.gemeente_code and l.as_of = h.as_of
group by h.gemeente_code, h.buurt_code, h.as_of;

create or replace view rpt.werkgebied_benchmark as
with latest as (
    select gemeente_code, max(as_of) as as_of from core.housing_unit group by gemeente_code
), vhe as (
    select h.gemeente_code, h.buurt_code, count(*) as vhe
    from core.housing_unit h
    join latest l on l.gemeente_code = h.gemeente_code and l.as_of = h.as_of
    group by h.gemeente_code, h.buurt_code
), own as (
    select s.edition_year, v.vhe::numeric as w, s.afw, s.won, s.fys, s.vrz, s.soc, s.onv
    from core.leefbaarometer_score s
    join vhe v on v.buurt_code = s.area_code and v.gemeente_code = s.gemeente_code
    where s.level = 'buurt'
), mean as (
    select edition_year, count(*) as buurten, sum(w) as vhe,
           sum(w * afw) / sum(w) as afw_mean, sum(w * won) / sum(w) as won_mean,
           sum(w * fys) / sum(w) as fys_mean, sum(w * vrz) / sum(w) as vrz_mean,
           sum(w * soc) / sum(w) as soc_mean, sum(w * onv) / sum(w) as onv_mean
    from own group by edition_year
)
select m.edition_year, m.buurten, m.vhe,
       round(m.afw_mean, 4) as afw_mean, round(sqrt(sum(o.w * (o.afw - m.afw_mean) ^ 2) / m.vhe), 4) as afw_sd,
       round(m.won_mean, 4) as won_mean, round(sqrt(sum(o.w * (o.won - m.won_mean) ^ 2) / m.vhe), 4) as won_sd,
       round(m.fys_mean, 4) as fys_mean, round(sqrt(sum(o.w * (o.fys - m.fys_mean) ^ 2) / m.vhe), 4) as fys_sd,
       round(m.vrz_mean, 4) as vrz_mean, round(sqrt(sum(o.w * (o.vrz - m.vrz_mean) ^ 2) / m.vhe), 4) as vrz_sd,
       round(m.soc_mean, 4) as soc_mean, round(sqrt(sum(o.w * (o.soc - m.soc_mean) ^ 2) / m.vhe), 4) as soc_sd,
       round(m.onv_mean, 4) as onv_mean, round(sqrt(sum(o.w * (o.onv - m.onv_mean) ^ 2) / m.vhe), 4) as onv_sd
from mean m join own o using (edition_year)
group by m.edition_year, m.buurten, m.vhe, m.afw_mean, m.won_mean, m.fys_mean, m.vrz_mean, m.soc_mean, m.onv_mean;
