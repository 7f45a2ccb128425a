-- Current definition, re-applied by `leefbaar-etl migrate` whenever this file changes (etl.schema_model).
set local role leefbaar_owner;

create or replace view rpt.vhe_per_buurt with (security_invoker = true) as
with latest as (
    select gemeente_code, max(as_of) as as_of from core.housing_unit group by gemeente_code
)
select h.gemeente_code, h.buurt_code, h.as_of, count(*) as vhe, count(*) filter (where h.daeb) as vhe_daeb
from core.housing_unit h
join latest l on l.gemeente_code = h.gemeente_code and l.as_of = h.as_of
group by h.gemeente_code, h.buurt_code, h.as_of;
comment on view rpt.vhe_per_buurt is 'The corporation''s rental units per buurt in the latest stock snapshot of each gemeente.';
comment on column rpt.vhe_per_buurt.gemeente_code is 'CBS gemeente code.';
comment on column rpt.vhe_per_buurt.buurt_code is 'CBS buurt code.';
comment on column rpt.vhe_per_buurt.as_of is 'Date of the stock snapshot.';
comment on column rpt.vhe_per_buurt.vhe is 'Rental units (VHE) in the buurt.';
comment on column rpt.vhe_per_buurt.vhe_daeb is 'DAEB rental units in the buurt.';
