-- Numeric settings hold plain decimals in dot notation, checked by the database too (a value
-- such as 0x1p-1 once made every export fail).
set local role leefbaar_owner;

alter table core.setting add constraint setting_number_is_plain
    check (key not like 'inzet.%' or value ~ '^-?[0-9]+(\.[0-9]+)?$');
