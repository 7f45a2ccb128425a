-- Foreign keys from facts to the reference dimensions (core.gemeente, core.partner), so BI tools
-- join them by themselves. They are checked at commit (deferred): a load's data checks run
-- first and name the offending lines. core.spending has none: a foreign key made inserting a
-- million ledger lines 2.8 times slower (measured); the loader accepts only gemeente codes of
-- core.gemeente there and the ledger's spending_known_gemeente check confirms it. Area codes have
-- no key of their own (core.area is keyed by code and year), so they are joined, not referenced.
set local role leefbaar_owner;

alter table core.area add constraint area_gemeente_fk
    foreign key (gemeente_code) references core.gemeente deferrable initially deferred;
alter table core.housing_unit add constraint housing_unit_gemeente_fk
    foreign key (gemeente_code) references core.gemeente deferrable initially deferred;
alter table core.leefbaarometer_score add constraint leefbaarometer_score_gemeente_fk
    foreign key (gemeente_code) references core.gemeente deferrable initially deferred;
alter table core.leefbaarometer2_score add constraint leefbaarometer2_score_gemeente_fk
    foreign key (gemeente_code) references core.gemeente deferrable initially deferred;
alter table core.initiative add constraint initiative_gemeente_fk
    foreign key (gemeente_code) references core.gemeente deferrable initially deferred;
alter table core.activity add constraint activity_gemeente_fk
    foreign key (gemeente_code) references core.gemeente deferrable initially deferred;
alter table core.activity_partner add constraint activity_partner_gemeente_fk
    foreign key (gemeente_code) references core.gemeente deferrable initially deferred;
alter table core.activity_partner add constraint activity_partner_partner_fk
    foreign key (partner_code) references core.partner deferrable initially deferred;
alter table core.care_case add constraint care_case_gemeente_fk
    foreign key (gemeente_code) references core.gemeente deferrable initially deferred;
alter table core.care_case add constraint care_case_partner_fk
    foreign key (partner_code) references core.partner deferrable initially deferred;
alter table core.visit add constraint visit_gemeente_fk
    foreign key (gemeente_code) references core.gemeente deferrable initially deferred;
alter table core.visit add constraint visit_partner_fk
    foreign key (partner_code) references core.partner deferrable initially deferred;
alter table core.adaptation add constraint adaptation_gemeente_fk
    foreign key (gemeente_code) references core.gemeente deferrable initially deferred;
