-- The warehouse: dimensions and facts in core. Money is numeric(14,2). Every fact row keeps
-- gemeente_code, batch_id and source_line. Table comments start with "Dimension:" or "Fact:".
set local role leefbaar_owner;

-- Dimensions ---------------------------------------------------------------------------------

create table core.gemeente (
    gemeente_code text primary key check (gemeente_code ~ '^GM[0-9]{4}$'),
    name          text not null
);
comment on table core.gemeente is 'Dimension: the gemeenten (municipalities) of the werkgebied, by CBS code.';
comment on column core.gemeente.gemeente_code is 'CBS gemeente code, GM + 4 digits.';
comment on column core.gemeente.name is 'Name of the gemeente.';

insert into core.gemeente (gemeente_code, name) values
    ('GM0106', 'Assen'), ('GM1690', 'De Wolden'), ('GM0118', 'Hoogeveen'), ('GM0119', 'Meppel'),
    ('GM1731', 'Midden-Drenthe'), ('GM1699', 'Noordenveld'), ('GM0085', 'Ooststellingwerf'),
    ('GM1701', 'Westerveld');

create table core.area (
    area_code     text not null check (area_code ~ '^(GM[0-9]{4}|WK[0-9]{6}|BU[0-9]{8})$'),
    year          integer not null check (year between 1990 and 2100),
    level         text not null check (level in ('gemeente', 'wijk', 'buurt')),
    name          text not null,
    parent_code   text,
    gemeente_code text not null,
    batch_id      bigint not null,
    source_line   bigint not null,
    primary key (area_code, year)
);
comment on table core.area is 'Dimension: CBS areas (gemeente, wijk, buurt) as valid in a year; codes change when gemeenten merge.';
comment on column core.area.area_code is 'CBS code: GM+4 digits, WK+6 (gemeente+2), BU+8 (wijk+2).';
comment on column core.area.year is 'The year of the CBS wijk- en buurtindeling this code is valid in.';
comment on column core.area.level is 'gemeente, wijk or buurt.';
comment on column core.area.name is 'Name of the area.';
comment on column core.area.parent_code is 'The wijk of a buurt, the gemeente of a wijk; null for a gemeente.';
comment on column core.area.gemeente_code is 'The gemeente the area lies in.';
comment on column core.area.batch_id is 'The load (etl.batch) this row came from.';
comment on column core.area.source_line is 'Line of the source file this row came from.';
create index area_gemeente on core.area (gemeente_code, year);

create table core.partner (
    partner_code text primary key,
    name         text not null,
    kind         text not null default 'partner'
);
comment on table core.partner is 'Dimension: welfare and care organisations and programmes the corporation works with.';
comment on column core.partner.partner_code is 'Short code, e.g. vaart-welzijn.';
comment on column core.partner.name is 'Name of the organisation.';
comment on column core.partner.kind is 'welzijn, zorg, programma, bemiddeling, ... (free text).';

create table core.tenant (
    tenant_code   text primary key,
    kind          text not null check (kind in ('gemeente', 'partner')),
    name          text not null,
    role_name     text not null unique,
    gemeente_code text references core.gemeente (gemeente_code),
    partner_code  text references core.partner (partner_code),
    created_at    timestamptz not null default now(),
    check ((kind = 'gemeente') = (gemeente_code is not null)),
    check ((kind = 'partner') = (partner_code is not null))
);
comment on table core.tenant is 'Dimension: who receives reports: each gemeente and each partner, with the PostgreSQL role that row-level security knows it by.';
comment on column core.tenant.tenant_code is 'GM code for a gemeente, partner code for a partner.';
comment on column core.tenant.kind is 'gemeente or partner.';
comment on column core.tenant.name is 'Display name.';
comment on column core.tenant.role_name is 'The tenant''s PostgreSQL role (member of leefbaar_tenant).';
comment on column core.tenant.gemeente_code is 'For a gemeente tenant: its gemeente.';
comment on column core.tenant.partner_code is 'For a partner tenant: its partner.';
comment on column core.tenant.created_at is 'When the tenant was added.';

create table core.project (
    project_code  text primary key,
    name          text not null,
    gemeente_code text,
    partner_code  text
);
comment on table core.project is 'Dimension: livability projects spending is booked on, and the partner that runs each.';
comment on column core.project.project_code is 'Project code as in the ledger.';
comment on column core.project.name is 'Project name.';
comment on column core.project.gemeente_code is 'The gemeente of the project, when it has one.';
comment on column core.project.partner_code is 'The partner running the project; that partner sees its spending.';

create table core.housing_unit (
    gemeente_code text not null,
    vhe_number    text not null,
    as_of         date not null,
    complex       text,
    buurt_code    text not null,
    unit_type     text,
    daeb          boolean not null,
    batch_id      bigint not null,
    source_line   bigint not null,
    primary key (gemeente_code, vhe_number, as_of)
);
comment on table core.housing_unit is 'Dimension: the corporation''s rental units (verhuureenheden, VHE) per stock snapshot.';
comment on column core.housing_unit.gemeente_code is 'The gemeente the unit is in.';
comment on column core.housing_unit.vhe_number is 'The corporation''s unit number (VHE).';
comment on column core.housing_unit.as_of is 'Date of the stock snapshot.';
comment on column core.housing_unit.complex is 'Complex (group of buildings) the unit belongs to.';
comment on column core.housing_unit.buurt_code is 'CBS buurt code of the unit.';
comment on column core.housing_unit.unit_type is 'Type of dwelling (eengezinswoning, appartement, ...).';
comment on column core.housing_unit.daeb is 'True for DAEB (social, state-aid) units.';
comment on column core.housing_unit.batch_id is 'The load (etl.batch) this row came from.';
comment on column core.housing_unit.source_line is 'Line of the source file this row came from.';
create index housing_unit_buurt on core.housing_unit (as_of, buurt_code);

create table core.setting (
    key           text primary key,
    value         text not null,
    default_value text not null,
    description   text not null
);
comment on table core.setting is 'Dimension: the corporation''s own choices, such as the yellow/orange cut-offs for inzet levels.';
comment on column core.setting.key is 'Setting name.';
comment on column core.setting.value is 'Current value (text; numbers in dot notation).';
comment on column core.setting.default_value is 'The documented default.';
comment on column core.setting.description is 'What the setting means.';
insert into core.setting (key, value, default_value, description) values
    ('inzet.plus_sd', '-0.5', '-0.5', 'A buurt is yellow (inzet plus) when its afw is at most werkgebied mean + this many standard deviations.'),
    ('inzet.plusplus_sd', '-1.0', '-1.0', 'A buurt is orange (inzet plusplus) when its afw is at most werkgebied mean + this many standard deviations.'),
    ('focus.dimensions', 'won,fys', 'won,fys', 'Leefbaarometer dimensions related to the housing stock; a gemeente below the werkgebied mean on any is a focus gemeente.');

-- Facts --------------------------------------------------------------------------------------

create table core.spending (
    gemeente_code text not null,
    journal       text not null,
    document      text not null,
    line_no       integer not null,
    booking_date  date not null,
    year          integer generated always as (extract(year from booking_date)::integer) stored,
    account       text,
    cost_centre   text,
    project_code  text,
    inzet_level   text not null check (inzet_level in ('basis', 'plus', 'plusplus')),
    category      text not null default 'overig',
    description   text,
    amount        numeric(14,2) not null,
    batch_id      bigint not null,
    source_line   bigint not null,
    primary key (gemeente_code, journal, document, line_no)
);
comment on table core.spending is 'Fact: livability spending, one row per ledger journal line.';
comment on column core.spending.gemeente_code is 'The gemeente the spending is for.';
comment on column core.spending.journal is 'Journal (dagboek) of the ledger.';
comment on column core.spending.document is 'Document (boekstuk) number.';
comment on column core.spending.line_no is 'Line within the document.';
comment on column core.spending.booking_date is 'Booking date.';
comment on column core.spending.year is 'Year of the booking date.';
comment on column core.spending.account is 'Ledger account (grootboekrekening).';
comment on column core.spending.cost_centre is 'Cost centre (kostenplaats).';
comment on column core.spending.project_code is 'Project the spending is booked on (core.project).';
comment on column core.spending.inzet_level is 'basis, plus or plusplus: the level of effort the spending belongs to.';
comment on column core.spending.category is 'Kind of spending (projecten, bijdragen, schoon-heel-veilig, ...).';
comment on column core.spending.description is 'Ledger line description (personal data removed).';
comment on column core.spending.amount is 'Amount in euro (debit positive, credit negative).';
comment on column core.spending.batch_id is 'The load (etl.batch) this row came from.';
comment on column core.spending.source_line is 'Line of the source file this row came from.';
create index spending_year on core.spending (year, gemeente_code, inzet_level);
create index spending_project on core.spending (project_code) where project_code is not null;

create table core.leefbaarometer_score (
    gemeente_code text not null,
    area_code     text not null,
    edition_year  integer not null check (edition_year between 2002 and 2100),
    level         text not null check (level in ('gemeente', 'wijk', 'buurt')),
    lbm           numeric(8,4),
    afw           numeric(8,4),
    won           numeric(8,4),
    fys           numeric(8,4),
    vrz           numeric(8,4),
    soc           numeric(8,4),
    onv           numeric(8,4),
    batch_id      bigint not null,
    source_line   bigint not null,
    primary key (gemeente_code, area_code, edition_year)
);
comment on table core.leefbaarometer_score is 'Fact: Leefbaarometer 3.0 scores per area and edition (BZK open data).';
comment on column core.leefbaarometer_score.gemeente_code is 'The gemeente the area lies in.';
comment on column core.leefbaarometer_score.area_code is 'CBS code of the area (mostly buurten).';
comment on column core.leefbaarometer_score.edition_year is 'Leefbaarometer edition (2016, 2018, 2020, ...).';
comment on column core.leefbaarometer_score.level is 'gemeente, wijk or buurt.';
comment on column core.leefbaarometer_score.lbm is 'Total livability score.';
comment on column core.leefbaarometer_score.afw is 'Deviation of lbm from the national average.';
comment on column core.leefbaarometer_score.won is 'Dimension woningvoorraad (housing stock), deviation.';
comment on column core.leefbaarometer_score.fys is 'Dimension fysieke omgeving (physical environment), deviation.';
comment on column core.leefbaarometer_score.vrz is 'Dimension voorzieningen (amenities), deviation.';
comment on column core.leefbaarometer_score.soc is 'Dimension sociale samenhang (social cohesion), deviation.';
comment on column core.leefbaarometer_score.onv is 'Dimension overlast en onveiligheid (nuisance and insecurity), deviation.';
comment on column core.leefbaarometer_score.batch_id is 'The load (etl.batch) this row came from.';
comment on column core.leefbaarometer_score.source_line is 'Line of the source file this row came from.';

create table core.initiative (
    gemeente_code  text not null,
    programme      text not null,
    initiative_id  text not null,
    submitted_on   date not null,
    wijk_code      text,
    title          text not null,
    status         text not null,
    amount_granted numeric(14,2),
    supplied_by    text,
    batch_id       bigint not null,
    source_line    bigint not null,
    primary key (gemeente_code, programme, initiative_id)
);
comment on table core.initiative is 'Fact: resident initiatives (buurtinitiatieven) submitted to a programme such as Mijn Buurt Assen.';
comment on column core.initiative.gemeente_code is 'The gemeente of the initiative.';
comment on column core.initiative.programme is 'Programme it was submitted to (e.g. MBA).';
comment on column core.initiative.initiative_id is 'The programme''s id of the initiative.';
comment on column core.initiative.submitted_on is 'Date submitted.';
comment on column core.initiative.wijk_code is 'CBS wijk code, when known.';
comment on column core.initiative.title is 'Title (personal data removed).';
comment on column core.initiative.status is 'Status: ingediend, toegekend, afgewezen, uitgevoerd, ...';
comment on column core.initiative.amount_granted is 'Amount granted in euro.';
comment on column core.initiative.supplied_by is 'Partner that supplied the export (sees these rows).';
comment on column core.initiative.batch_id is 'The load (etl.batch) this row came from.';
comment on column core.initiative.source_line is 'Line of the source file this row came from.';

create table core.activity (
    gemeente_code text not null,
    source        text not null,
    activity_id   text not null,
    activity_date date not null,
    wijk_code     text,
    title         text not null,
    kind          text,
    supplied_by   text,
    batch_id      bigint not null,
    source_line   bigint not null,
    primary key (gemeente_code, source, activity_id)
);
comment on table core.activity is 'Fact: livability activities (burendag, opschoonactie, tentsessie, ...).';
comment on column core.activity.gemeente_code is 'The gemeente of the activity.';
comment on column core.activity.source is 'Who reported it (corporation or a partner code).';
comment on column core.activity.activity_id is 'The source''s id of the activity.';
comment on column core.activity.activity_date is 'Date of the activity.';
comment on column core.activity.wijk_code is 'CBS wijk code, when known.';
comment on column core.activity.title is 'Title (personal data removed).';
comment on column core.activity.kind is 'Kind of activity.';
comment on column core.activity.supplied_by is 'Partner that supplied the export (sees these rows).';
comment on column core.activity.batch_id is 'The load (etl.batch) this row came from.';
comment on column core.activity.source_line is 'Line of the source file this row came from.';

create table core.activity_partner (
    gemeente_code text not null,
    source        text not null,
    activity_id   text not null,
    partner_code  text not null,
    batch_id      bigint not null,
    source_line   bigint not null,
    primary key (gemeente_code, source, activity_id, partner_code)
);
comment on table core.activity_partner is 'Fact: which partners took part in an activity (no foreign key to core.activity: facts are distributed; a data check keeps them matched).';
comment on column core.activity_partner.gemeente_code is 'The gemeente of the activity.';
comment on column core.activity_partner.source is 'The activity''s source.';
comment on column core.activity_partner.activity_id is 'The activity''s id.';
comment on column core.activity_partner.partner_code is 'A partner that took part (sees the activity).';
comment on column core.activity_partner.batch_id is 'The load (etl.batch) this row came from.';
comment on column core.activity_partner.source_line is 'Line of the source file this row came from.';
create index activity_partner_partner on core.activity_partner (partner_code);

create table core.care_case (
    gemeente_code text not null,
    partner_code  text not null,
    case_id       text not null,
    opened_on     date not null,
    closed_on     date,
    kind          text not null,
    result        text,
    buurt_code    text,
    batch_id      bigint not null,
    source_line   bigint not null,
    primary key (gemeente_code, partner_code, case_id),
    check (closed_on is null or closed_on >= opened_on)
);
comment on table core.care_case is 'Fact: cases of partners such as Buurtbemiddeling and OGGZ networks (burenruzie, overlast, verward gedrag).';
comment on column core.care_case.gemeente_code is 'The gemeente of the case.';
comment on column core.care_case.partner_code is 'Partner handling the case (sees it).';
comment on column core.care_case.case_id is 'The partner''s case id (pseudonymised when the spec says so).';
comment on column core.care_case.opened_on is 'Date opened.';
comment on column core.care_case.closed_on is 'Date closed, null while open.';
comment on column core.care_case.kind is 'burenruzie, overlast, verward gedrag, ...';
comment on column core.care_case.result is 'Outcome (opgelost, doorverwezen, ...).';
comment on column core.care_case.buurt_code is 'CBS buurt code, when known.';
comment on column core.care_case.batch_id is 'The load (etl.batch) this row came from.';
comment on column core.care_case.source_line is 'Line of the source file this row came from.';

create table core.visit (
    gemeente_code text not null,
    location      text not null,
    visit_date    date not null,
    partner_code  text,
    visitors      integer not null check (visitors >= 0),
    batch_id      bigint not null,
    source_line   bigint not null,
    primary key (gemeente_code, location, visit_date)
);
comment on table core.visit is 'Fact: visitor counts per day and location (Beleefhuis).';
comment on column core.visit.gemeente_code is 'The gemeente of the location.';
comment on column core.visit.location is 'Location name.';
comment on column core.visit.visit_date is 'Day.';
comment on column core.visit.partner_code is 'Partner working at the location (sees these rows).';
comment on column core.visit.visitors is 'Number of visitors that day.';
comment on column core.visit.batch_id is 'The load (etl.batch) this row came from.';
comment on column core.visit.source_line is 'Line of the source file this row came from.';

create table core.adaptation (
    gemeente_code   text not null,
    source          text not null,
    adaptation_id   text not null,
    adaptation_date date not null,
    complex         text,
    item            text not null,
    cost            numeric(14,2) not null,
    supplied_by     text,
    batch_id        bigint not null,
    source_line     bigint not null,
    primary key (gemeente_code, source, adaptation_id)
);
comment on table core.adaptation is 'Fact: small home adaptations of the Langer Zelfstandig Thuis package.';
comment on column core.adaptation.gemeente_code is 'The gemeente of the home.';
comment on column core.adaptation.source is 'Who reported it.';
comment on column core.adaptation.adaptation_id is 'The source''s id.';
comment on column core.adaptation.adaptation_date is 'Date carried out.';
comment on column core.adaptation.complex is 'Complex of the home.';
comment on column core.adaptation.item is 'What was adapted (beugel, drempelhulp, douchezitje, ...).';
comment on column core.adaptation.cost is 'Cost in euro.';
comment on column core.adaptation.supplied_by is 'Partner that supplied the export (sees these rows).';
comment on column core.adaptation.batch_id is 'The load (etl.batch) this row came from.';
comment on column core.adaptation.source_line is 'Line of the source file this row came from.';
