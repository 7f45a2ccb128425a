-- core.visit rows of the batch ($1) whose partner_code is not in core.partner.
select source_line, partner_code from core.visit
where batch_id = $1 and partner_code is not null and partner_code not in (select partner_code from core.partner)
order by source_line
