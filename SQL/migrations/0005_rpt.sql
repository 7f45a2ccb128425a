-- Reporting views. security_invoker views run with the reader's rights, so row-level security on
-- core decides what a tenant sees through them. werkgebied_benchmark holds aggregates over every
-- gemeente only, and runs with the owner's rights so every tenant reads the same benchmark.
set local role leefbaar_owner;

create view rpt.spending_per_gemeente with (security_invoker = true) as
select s.gemeente_code, g.name as gemeente, s.year, s.inzet_level, s.category,
       sum(s.amount) as amount, count(*) as lines
from core.spending s
join core.gemeente g using (gemeente_code)
group by s.gemeente_code, g.name, s.year, s.inzet_level, s.category;
comment on view rpt.spending_per_gemeente is 'Livability spending per gemeente, year, inzet level and category.';
comment on column rpt.spending_per_gemeente.gemeente_code is 'CBS gemeente code.';
comment on column rpt.spending_per_gemeente.gemeente is 'Name of the gemeente.';
comment on column rpt.spending_per_gemeente.year is 'Booking year.';
comment on column rpt.spending_per_gemeente.inzet_level is 'basis, plus or plusplus.';
comment on column rpt.spending_per_gemeente.category is 'Kind of spending.';
comment on column rpt.spending_per_gemeente.amount is 'Sum of the ledger lines in euro.';
comment on column rpt.spending_per_gemeente.lines is 'Number of ledger lines.';

create view rpt.vhe_per_buurt with (security_invoker = true) as
select h.gemeente_code, h.buurt_code, h.as_of, count(*) as vhe, count(*) filter (where h.daeb) as vhe_daeb
from core.housing_unit h
where h.as_of = (select max(h2.as_of) from core.housing_unit h2 where h2.gemeente_code = h.gemeente_code)
group by h.gemeente_code, h.buurt_code, h.as_of;
comment on view rpt.vhe_per_buurt is 'The corporation''s rental units per buurt in the latest stock snapshot of each gemeente.';
comment on column rpt.vhe_per_buurt.gemeente_code is 'CBS gemeente code.';
comment on column rpt.vhe_per_buurt.buurt_code is 'CBS buurt code.';
comment on column rpt.vhe_per_buurt.as_of is 'Date of the stock snapshot.';
comment on column rpt.vhe_per_buurt.vhe is 'Rental units (VHE) in the buurt.';
comment on column rpt.vhe_per_buurt.vhe_daeb is 'DAEB rental units in the buurt.';

create view rpt.buurt_score with (security_invoker = true) as
select s.gemeente_code, s.area_code as buurt_code, a.name as buurt, s.edition_year,
       v.vhe, s.lbm, s.afw, s.won, s.fys, s.vrz, s.soc, s.onv
from core.leefbaarometer_score s
join rpt.vhe_per_buurt v on v.buurt_code = s.area_code and v.gemeente_code = s.gemeente_code
left join lateral (
    select a.name from core.area a where a.area_code = s.area_code order by a.year desc limit 1
) a on true
where s.level = 'buurt';
comment on view rpt.buurt_score is 'Leefbaarometer scores of the buurten where the corporation owns homes, with the number of homes.';
comment on column rpt.buurt_score.gemeente_code is 'CBS gemeente code.';
comment on column rpt.buurt_score.buurt_code is 'CBS buurt code.';
comment on column rpt.buurt_score.buurt is 'Name of the buurt (latest CBS year).';
comment on column rpt.buurt_score.edition_year is 'Leefbaarometer edition.';
comment on column rpt.buurt_score.vhe is 'The corporation''s rental units in the buurt.';
comment on column rpt.buurt_score.lbm is 'Total livability score.';
comment on column rpt.buurt_score.afw is 'Deviation from the national average.';
comment on column rpt.buurt_score.won is 'Woningvoorraad (housing stock).';
comment on column rpt.buurt_score.fys is 'Fysieke omgeving (physical environment).';
comment on column rpt.buurt_score.vrz is 'Voorzieningen (amenities).';
comment on column rpt.buurt_score.soc is 'Sociale samenhang (social cohesion).';
comment on column rpt.buurt_score.onv is 'Overlast en onveiligheid (nuisance and insecurity).';

-- Not security_invoker, and reading core directly: a security_invoker view inside it (such as
-- rpt.vhe_per_buurt) would be checked as the querying tenant, not as this view's owner.
create view rpt.werkgebied_benchmark as
with vhe as (
    select h.gemeente_code, h.buurt_code, count(*) as vhe
    from core.housing_unit h
    where h.as_of = (select max(h2.as_of) from core.housing_unit h2 where h2.gemeente_code = h.gemeente_code)
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
comment on view rpt.werkgebied_benchmark is 'The werkgebied benchmark per edition: VHE-weighted mean and standard deviation of the scores over the buurten with own homes. Aggregates only; every tenant reads it.';
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

create view rpt.activity_overview with (security_invoker = true) as
select a.gemeente_code, g.name as gemeente, a.source, a.activity_id, a.activity_date,
       extract(year from a.activity_date)::integer as year, a.wijk_code, a.title, a.kind,
       (select string_agg(p.name, ', ' order by p.name)
          from core.activity_partner ap join core.partner p using (partner_code)
         where ap.gemeente_code = a.gemeente_code and ap.source = a.source and ap.activity_id = a.activity_id) as partners
from core.activity a
join core.gemeente g using (gemeente_code);
comment on view rpt.activity_overview is 'Activities with their gemeente and the partners that took part (those the reader may see).';
comment on column rpt.activity_overview.gemeente_code is 'CBS gemeente code.';
comment on column rpt.activity_overview.gemeente is 'Name of the gemeente.';
comment on column rpt.activity_overview.source is 'Who reported the activity.';
comment on column rpt.activity_overview.activity_id is 'The source''s id.';
comment on column rpt.activity_overview.activity_date is 'Date.';
comment on column rpt.activity_overview.year is 'Year of the date.';
comment on column rpt.activity_overview.wijk_code is 'CBS wijk code.';
comment on column rpt.activity_overview.title is 'Title.';
comment on column rpt.activity_overview.kind is 'Kind of activity.';
comment on column rpt.activity_overview.partners is 'Partners that took part, comma-separated.';

grant select on all tables in schema rpt to leefbaar_tenant, leefbaar_analyst;
