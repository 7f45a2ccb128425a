-- Current definition, re-applied by `leefbaar-etl migrate` whenever this file changes (etl.schema_model).
set local role leefbaar_owner;

create or replace view rpt.spending_per_gemeente with (security_invoker = true) as
select s.gemeente_code, g.name as gemeente, s.year, s.inzet_level, s.category,
       sum(s.amount) as amount, sum(s.lines)::bigint as lines
from rpt.spending_summary s
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
