-- Partner codes of the batch's activity links ($1) that are not in core.partner.
select source_line, partner_code from core.activity_partner
where batch_id = $1 and partner_code not in (select partner_code from core.partner)
order by source_line
