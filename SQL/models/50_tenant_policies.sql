-- Who among the tenants sees which rows: the predicate of every tenant_read policy, in one place.
-- g: the caller's gemeente (a gemeente tenant), p: the caller's partner (a partner tenant), pg: the
-- gemeenten a partner works in. Spending has one predicate, for the rows and for their aggregate.
-- Re-applied by `leefbaar-etl migrate` whenever this file changes (etl.schema_model).
set local role leefbaar_owner;

do $$
declare
    g constant text := '(select core.tenant_gemeente(current_user::text))';
    p constant text := '(select core.tenant_partner(current_user::text))';
    pg constant text := '(select core.partner_gemeenten(core.tenant_partner(current_user::text)))::text[]';
    spending constant text := format(
        'gemeente_code = %s or project_code in (select pr.project_code from core.project pr where pr.partner_code = %s)', g, p
    );
    rec record;
begin
    for rec in select * from (values
        ('core.gemeente', format('gemeente_code = %s or gemeente_code = any (%s)', g, pg)),
        ('core.area', format('gemeente_code = %s or gemeente_code = any (%s)', g, pg)),
        ('core.partner', format('%s is not null or partner_code = %s', g, p)),
        ('core.project', format('gemeente_code = %s or partner_code = %s', g, p)),
        ('core.housing_unit', format('gemeente_code = %s', g)),
        ('core.setting', 'true'),
        ('core.spending', spending),
        ('rpt.spending_summary', spending),
        ('core.leefbaarometer_score', format('gemeente_code = %s', g)),
        ('core.leefbaarometer2_score', format('gemeente_code = %s', g)),
        ('core.initiative', format(
            'gemeente_code = %s or supplied_by = %s or programme in (select pp.programme from core.programme_partner pp where pp.partner_code = %s)',
            g, p, p
        )),
        ('core.programme_partner', format('partner_code = %s', p)),
        ('core.activity', format(
            'gemeente_code = %s or supplied_by = %s or exists (select 1 from core.activity_partner ap where ap.gemeente_code = activity.gemeente_code'
            || ' and ap.source = activity.source and ap.activity_id = activity.activity_id and ap.partner_code = %s)',
            g, p, p
        )),
        ('core.activity_partner', format('gemeente_code = %s or partner_code = %s', g, p)),
        ('core.care_case', format('gemeente_code = %s or partner_code = %s', g, p)),
        ('core.visit', format('gemeente_code = %s or partner_code = %s', g, p)),
        ('core.adaptation', format('gemeente_code = %s or supplied_by = %s', g, p))
    ) as t (tbl, expr) loop
        execute format('alter policy tenant_read on %s using (%s)', rec.tbl, rec.expr);
    end loop;
end $$;
