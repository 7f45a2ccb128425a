-- Partners and projects can be loaded from files too (feeds partners, projects): give them lineage.
set local role leefbaar_owner;

alter table core.partner add column batch_id bigint, add column source_line bigint;
comment on column core.partner.batch_id is 'The load (etl.batch) this row came from; null when added by tenant add.';
comment on column core.partner.source_line is 'Line of the source file this row came from.';

alter table core.project add column batch_id bigint, add column source_line bigint;
comment on column core.project.batch_id is 'The load (etl.batch) this row came from.';
comment on column core.project.source_line is 'Line of the source file this row came from.';

-- Every case, visit and activity link names a known partner.
create index care_case_partner on core.care_case (partner_code);
