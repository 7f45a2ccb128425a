-- Current definition, re-applied by `leefbaar-etl migrate` whenever this file changes (etl.schema_model).
set local role leefbaar_owner;

create or replace view rpt.activity_overview with (security_invoker = true) as
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
