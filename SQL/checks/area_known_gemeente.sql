-- core.area rows of the batch ($1) whose gemeente_code is not in core.gemeente.
select source_line, gemeente_code from core.area
where batch_id = $1 and gemeente_code not in (select gemeente_code from core.gemeente)
order by source_line
