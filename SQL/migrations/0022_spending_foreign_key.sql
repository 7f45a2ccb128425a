-- core.spending references core.gemeente like every other fact (checked at commit). On the
-- partitioned table the key is cloned onto every partition. A ledger year's exchange adds the
-- same key to its fresh table (validated in one anti-join over the year, not row by row), so
-- attaching it reuses that key and checks nothing twice.
set local role leefbaar_owner;

alter table core.spending add constraint spending_gemeente_fk
    foreign key (gemeente_code) references core.gemeente deferrable initially deferred;
