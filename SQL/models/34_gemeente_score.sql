-- Current definition, re-applied by `leefbaar-etl migrate` whenever this file changes (etl.schema_model).
set local role leefbaar_owner;

create or replace view rpt.gemeente_score with (security_invoker = true) as
with g as (
    select b.edition_year, b.gemeente_code, sum(b.vhe) as vhe,
           sum(b.vhe * b.afw) / sum(b.vhe) as afw, sum(b.vhe * b.won) / sum(b.vhe) as won,
           sum(b.vhe * b.fys) / sum(b.vhe) as fys, sum(b.vhe * b.vrz) / sum(b.vhe) as vrz,
           sum(b.vhe * b.soc) / sum(b.vhe) as soc, sum(b.vhe * b.onv) / sum(b.vhe) as onv
    from rpt.buurt_score b
    group by b.edition_year, b.gemeente_code
), dims as (
    select string_to_array(replace(value, ' ', ''), ',') as list from core.setting where key = 'focus.dimensions'
)
select g.edition_year, g.gemeente_code, gm.name as gemeente, g.vhe,
       round(g.afw, 4) as afw, round(g.won, 4) as won, round(g.fys, 4) as fys,
       round(g.vrz, 4) as vrz, round(g.soc, 4) as soc, round(g.onv, 4) as onv,
       array_remove(array[
           case when g.won < w.won_mean then 'won' end, case when g.fys < w.fys_mean then 'fys' end,
           case when g.vrz < w.vrz_mean then 'vrz' end, case when g.soc < w.soc_mean then 'soc' end,
           case when g.onv < w.onv_mean then 'onv' end], null) as below_werkgebied,
       coalesce(array_remove(array[
           case when g.won < w.won_mean then 'won' end, case when g.fys < w.fys_mean then 'fys' end,
           case when g.vrz < w.vrz_mean then 'vrz' end, case when g.soc < w.soc_mean then 'soc' end,
           case when g.onv < w.onv_mean then 'onv' end], null) && (select list from dims), false) as focus
from g
join rpt.werkgebied_benchmark w using (edition_year)
join core.gemeente gm using (gemeente_code);
comment on view rpt.gemeente_score is 'Per gemeente and edition: VHE-weighted mean scores over its buurten with own homes, the dimensions below the werkgebied mean, and whether it is a focus gemeente.';
comment on column rpt.gemeente_score.edition_year is 'Leefbaarometer edition.';
comment on column rpt.gemeente_score.gemeente_code is 'CBS gemeente code.';
comment on column rpt.gemeente_score.gemeente is 'Name of the gemeente.';
comment on column rpt.gemeente_score.vhe is 'Rental units in its buurten with a score (the weights).';
comment on column rpt.gemeente_score.afw is 'Weighted mean of afw.';
comment on column rpt.gemeente_score.won is 'Weighted mean of won (woningvoorraad).';
comment on column rpt.gemeente_score.fys is 'Weighted mean of fys (fysieke omgeving).';
comment on column rpt.gemeente_score.vrz is 'Weighted mean of vrz (voorzieningen).';
comment on column rpt.gemeente_score.soc is 'Weighted mean of soc (sociale samenhang).';
comment on column rpt.gemeente_score.onv is 'Weighted mean of onv (overlast en onveiligheid).';
comment on column rpt.gemeente_score.below_werkgebied is 'Dimensions on which the gemeente is below the werkgebied mean.';
comment on column rpt.gemeente_score.focus is 'True when it is below the werkgebied on a dimension listed in core.setting focus.dimensions.';
grant select on rpt.gemeente_score to leefbaar_tenant, leefbaar_analyst;
