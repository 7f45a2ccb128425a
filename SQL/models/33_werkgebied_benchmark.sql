-- Current definition, re-applied by `leefbaar-etl migrate` whenever this file changes (etl.schema_model).
set local role leefbaar_owner;

create or replace view rpt.werkgebied_benchmark as
with latest as (
    select gemeente_code, max(as_of) as as_of from core.housing_unit group by gemeente_code
), vhe as (
    select h.gemeente_code, h.buurt_code, count(*) as vhe
    from core.housing_unit h
    join latest l on l.gemeente_code = h.gemeente_code and l.as_of = h.as_of
    group by h.gemeente_code, h.buurt_code
), own as (
    select s.edition_year, s.gemeente_code, v.vhe::numeric as w, s.afw, s.won, s.fys, s.vrz, s.soc, s.onv
    from core.leefbaarometer_score s
    join vhe v on v.buurt_code = s.area_code and v.gemeente_code = s.gemeente_code
    where s.level = 'buurt'
), mean as (
    select edition_year, count(*) as buurten, count(distinct gemeente_code) as gemeenten, sum(w) as vhe,
           sum(w * afw) / sum(w) as afw_mean, sum(w * won) / sum(w) as won_mean,
           sum(w * fys) / sum(w) as fys_mean, sum(w * vrz) / sum(w) as vrz_mean,
           sum(w * soc) / sum(w) as soc_mean, sum(w * onv) / sum(w) as onv_mean
    from own group by edition_year
), full_benchmark as (
    select m.edition_year, m.buurten, m.vhe, m.gemeenten,
           round(m.afw_mean, 4) as afw_mean, round(sqrt(sum(o.w * (o.afw - m.afw_mean) ^ 2) / m.vhe), 4) as afw_sd,
           round(m.won_mean, 4) as won_mean, round(sqrt(sum(o.w * (o.won - m.won_mean) ^ 2) / m.vhe), 4) as won_sd,
           round(m.fys_mean, 4) as fys_mean, round(sqrt(sum(o.w * (o.fys - m.fys_mean) ^ 2) / m.vhe), 4) as fys_sd,
           round(m.vrz_mean, 4) as vrz_mean, round(sqrt(sum(o.w * (o.vrz - m.vrz_mean) ^ 2) / m.vhe), 4) as vrz_sd,
           round(m.soc_mean, 4) as soc_mean, round(sqrt(sum(o.w * (o.soc - m.soc_mean) ^ 2) / m.vhe), 4) as soc_sd,
           round(m.onv_mean, 4) as onv_mean, round(sqrt(sum(o.w * (o.onv - m.onv_mean) ^ 2) / m.vhe), 4) as onv_sd,
           m.gemeenten >= coalesce((select s.value::integer from core.setting s where s.key = 'privacy.min_gemeenten'), 3)
               or core.caller_reads_all() as shown
    from mean m join own o using (edition_year)
    group by m.edition_year, m.buurten, m.gemeenten, m.vhe, m.afw_mean, m.won_mean, m.fys_mean, m.vrz_mean, m.soc_mean, m.onv_mean
)
select edition_year,
       case when shown then buurten end as buurten, case when shown then vhe end as vhe,
       case when shown then afw_mean end as afw_mean, case when shown then afw_sd end as afw_sd,
       case when shown then won_mean end as won_mean, case when shown then won_sd end as won_sd,
       case when shown then fys_mean end as fys_mean, case when shown then fys_sd end as fys_sd,
       case when shown then vrz_mean end as vrz_mean, case when shown then vrz_sd end as vrz_sd,
       case when shown then soc_mean end as soc_mean, case when shown then soc_sd end as soc_sd,
       case when shown then onv_mean end as onv_mean, case when shown then onv_sd end as onv_sd,
       gemeenten
from full_benchmark;
comment on view rpt.werkgebied_benchmark is 'The werkgebied benchmark per edition: VHE-weighted mean and standard deviation of the scores over the buurten with own homes. Aggregates only; every tenant reads it, but a tenant sees the figures only for editions whose buurten lie in at least privacy.min_gemeenten gemeenten.';
comment on column rpt.werkgebied_benchmark.edition_year is 'Leefbaarometer edition.';
comment on column rpt.werkgebied_benchmark.buurten is 'Buurten with own homes and a score.';
comment on column rpt.werkgebied_benchmark.vhe is 'Rental units in those buurten (the weights).';
comment on column rpt.werkgebied_benchmark.afw_mean is 'Weighted mean of afw.';
comment on column rpt.werkgebied_benchmark.afw_sd is 'Weighted standard deviation of afw.';
comment on column rpt.werkgebied_benchmark.won_mean is 'Weighted mean of won.';
comment on column rpt.werkgebied_benchmark.won_sd is 'Weighted standard deviation of won.';
comment on column rpt.werkgebied_benchmark.fys_mean is 'Weighted mean of fys.';
comment on column rpt.werkgebied_benchmark.fys_sd is 'Weighted standard deviation of fys.';
comment on column rpt.werkgebied_benchmark.vrz_mean is 'Weighted mean of vrz.';
comment on column rpt.werkgebied_benchmark.vrz_sd is 'Weighted standard deviation of vrz.';
comment on column rpt.werkgebied_benchmark.soc_mean is 'Weighted mean of soc.';
comment on column rpt.werkgebied_benchmark.soc_sd is 'Weighted standard deviation of soc.';
comment on column rpt.werkgebied_benchmark.onv_mean is 'Weighted mean of onv.';
comment on column rpt.werkgebied_benchmark.onv_sd is 'Weighted standard deviation of onv.';
comment on column rpt.werkgebied_benchmark.gemeenten is 'How many gemeenten the edition''s buurten lie in.';
