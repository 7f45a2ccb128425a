-- title: Samenwerking per partner
-- description: Alles waaraan een partner in het jaar deelnam: activiteiten, casussen, bezoeken aan het Beleefhuis, uitgaven aan zijn projecten en de initiatieven die hij aanleverde.
-- parameters: year
-- audience: corporation, partner
-- data: core.activity, core.care_case, core.initiative, core.visit, core.spending, core.project, core.partner
-- money: bedrag
-- label: partner = Partner
-- label: onderdeel = Onderdeel
-- label: gemeente = Gemeente
-- label: aantal = Aantal
-- label: bedrag = Bedrag
select partner, onderdeel, gemeente, aantal, bedrag from (
    select p.name as partner, 'Activiteiten' as onderdeel, g.name as gemeente, count(*) as aantal, null::numeric as bedrag
    from core.activity_partner ap join core.activity a using (gemeente_code, source, activity_id)
    join core.partner p using (partner_code) join core.gemeente g using (gemeente_code)
    where extract(year from a.activity_date) = $1::integer group by 1, 3
    union all
    select p.name, 'Casussen', g.name, count(*), null
    from core.care_case c join core.partner p using (partner_code) join core.gemeente g using (gemeente_code)
    where extract(year from c.opened_on) = $1::integer group by 1, 3
    union all
    select p.name, 'Bezoekers', g.name, sum(v.visitors), null
    from core.visit v join core.partner p using (partner_code) join core.gemeente g using (gemeente_code)
    where extract(year from v.visit_date) = $1::integer group by 1, 3
    union all
    select p.name, 'Uitgaven projecten', g.name, sum(s.lines), sum(s.amount)
    from rpt.spending_summary s join core.project pr using (project_code) join core.partner p on p.partner_code = pr.partner_code
    join core.gemeente g on g.gemeente_code = s.gemeente_code
    where s.year = $1::integer group by 1, 3
    union all
    select p.name, 'Initiatieven', g.name, count(*), sum(i.amount_granted)
    from core.initiative i join core.partner p on p.partner_code = i.supplied_by join core.gemeente g using (gemeente_code)
    where extract(year from i.submitted_on) = $1::integer group by 1, 3
) as t
order by partner, onderdeel, gemeente
