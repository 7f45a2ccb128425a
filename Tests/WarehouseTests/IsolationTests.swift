import Foundation
import Ingest
import Postgres
import TestSupport
import Testing
import Warehouse

/// Rows for three gemeenten and two partners, inserted as the superuser (no RLS).
let isolationFixture = """
    insert into etl.batch (feed, file_name, file_sha256, status) values ('fixture', 'fixture.csv', repeat('a', 64), 'loaded');
    insert into core.partner (partner_code, name) values ('vaart-welzijn', 'Vaart Welzijn'), ('buurtbemiddeling', 'Buurtbemiddeling'), ('cosis', 'Cosis');
    insert into core.project values ('P-MBA', 'Mijn Buurt Assen', 'GM0106', 'vaart-welzijn'), ('P-BB', 'Buurtbemiddeling', 'GM0118', 'buurtbemiddeling'), ('P-ALG', 'Algemeen', null, null);
    insert into core.area values
      ('GM0106', 2019, 'gemeente', 'Assen', null, 'GM0106', 1, 2), ('WK010607', 2019, 'wijk', 'Pittelo', 'GM0106', 'GM0106', 1, 3),
      ('BU01060710', 2019, 'buurt', 'Pittelo-Noord', 'WK010607', 'GM0106', 1, 4),
      ('GM0118', 2019, 'gemeente', 'Hoogeveen', null, 'GM0118', 1, 5), ('BU01180101', 2019, 'buurt', 'Centrum', 'WK011801', 'GM0118', 1, 6),
      ('GM1731', 2019, 'gemeente', 'Midden-Drenthe', null, 'GM1731', 1, 7), ('BU17310001', 2019, 'buurt', 'Smilde', 'WK173100', 'GM1731', 1, 8);
    insert into core.housing_unit values
      ('GM0106', 'V1', '2019-12-31', 'C1', 'BU01060710', 'app', true, 1, 10), ('GM0106', 'V2', '2019-12-31', 'C1', 'BU01060710', 'app', true, 1, 11),
      ('GM0118', 'V3', '2019-12-31', 'C2', 'BU01180101', 'egw', true, 1, 12), ('GM1731', 'V4', '2019-12-31', 'C3', 'BU17310001', 'egw', false, 1, 13);
    insert into core.leefbaarometer_score values
      ('GM0106', 'BU01060710', 2018, 'buurt', 3.9, -0.2, -0.1, -0.05, 0.01, -0.02, -0.03, 1, 20),
      ('GM0118', 'BU01180101', 2018, 'buurt', 4.1, 0.1, 0.05, 0.02, 0.01, 0.0, 0.01, 1, 21),
      ('GM1731', 'BU17310001', 2018, 'buurt', 4.0, 0.0, -0.02, 0.0, 0.0, 0.0, 0.0, 1, 22);
    insert into core.spending (gemeente_code, journal, document, line_no, booking_date, project_code, inzet_level, category, amount, batch_id, source_line) values
      ('GM0106', 'MEM', 'D1', 1, '2019-03-01', 'P-MBA', 'plusplus', 'projecten', 500000.00, 1, 30),
      ('GM0106', 'MEM', 'D1', 2, '2019-04-01', 'P-ALG', 'basis', 'overig', 300000.00, 1, 31),
      ('GM0118', 'MEM', 'D2', 1, '2019-05-01', 'P-BB', 'basis', 'bijdragen', 16000.00, 1, 32),
      ('GM1731', 'MEM', 'D3', 1, '2019-06-01', null, 'plus', 'projecten', 104000.00, 1, 33);
    insert into core.initiative values
      ('GM0106', 'MBA', 'I1', '2019-02-01', 'WK010607', 'Buurtfeest', 'toegekend', 750.00, 'vaart-welzijn', 1, 40),
      ('GM1731', 'WELWOZO', 'I2', '2019-02-01', null, 'Moestuin', 'ingediend', null, null, 1, 41);
    insert into core.activity values
      ('GM0106', 'corporatie', 'A1', '2019-09-28', 'WK010607', 'Burendag in de Lariks', 'burendag', null, 1, 50),
      ('GM0118', 'corporatie', 'A2', '2019-06-01', null, 'Aanleg pleintje atrium Alteveerstraat', 'fysiek', null, 1, 51),
      ('GM1731', 'corporatie', 'A3', '2019-03-16', null, 'NLdoet: klussen en opknappen tuinen', 'nldoet', null, 1, 52);
    insert into core.activity_partner values
      ('GM0106', 'corporatie', 'A1', 'vaart-welzijn', 1, 50), ('GM0118', 'corporatie', 'A2', 'buurtbemiddeling', 1, 51),
      ('GM0118', 'corporatie', 'A2', 'cosis', 1, 51);
    insert into core.care_case values
      ('GM0118', 'buurtbemiddeling', 'C-1', '2019-01-10', '2019-03-01', 'burenruzie', 'opgelost', 'BU01180101', 1, 60),
      ('GM1731', 'buurtbemiddeling', 'C-2', '2019-02-10', null, 'overlast', null, null, 1, 61),
      ('GM0106', 'cosis', 'C-3', '2019-02-10', null, 'verward gedrag', null, null, 1, 62);
    insert into core.visit values
      ('GM0106', 'Beleefhuis', '2019-10-05', 'vaart-welzijn', 12, 1, 70), ('GM0106', 'Beleefhuis', '2019-10-06', 'vaart-welzijn', 9, 1, 71);
    insert into core.adaptation values
      ('GM0106', 'lzt', 'L1', '2019-05-01', 'C1', 'douchezitje', 150.00, null, 1, 80),
      ('GM1731', 'lzt', 'L2', '2019-05-02', 'C3', 'drempelhulp', 95.50, null, 1, 81);
    """

@Suite(.serialized, .ownThread) struct IsolationTests {
    static let gemeenten = ["GM0106", "GM0118", "GM1731"]
    static let partners = ["vaart-welzijn", "buurtbemiddeling"]

    /// A private cluster: these tests create and drop roles, which are cluster-wide.
    func withTenantWarehouse(_ body: (TemporaryCluster, String, Connection) throws -> Void) throws {
        let cluster = try TemporaryCluster()
        defer { cluster.destroy() }
        try withMigratedDatabase(cluster: cluster) { cluster, name, db throws in
            try db.executeScript(isolationFixture)
            let registry = TenantRegistry(connection: db)
            for g in Self.gemeenten { try registry.add(kind: .gemeente, code: g) }
            for p in Self.partners { try registry.add(kind: .partner, code: p) }
            try body(cluster, name, db)
        }
    }

    /// Relations in core and rpt a role may select from, with whether they have a gemeente_code column.
    func readable(by role: String, _ db: Connection) throws -> [(name: String, hasGemeente: Bool)] {
        try db.execute(
            """
            select n.nspname || '.' || c.relname,
                   exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'gemeente_code' and not a.attisdropped)
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname in ('core', 'rpt') and c.relkind in ('r', 'p', 'v') and has_table_privilege($1, c.oid, 'select')
            order by 1
            """, [role]
        ).map { (try $0.decode(0, as: String.self), try $0.decode(1, as: Bool.self)) }
    }

    func asRole<T>(_ role: String, _ db: Connection, _ body: () throws -> T) throws -> T {
        try db.execute("set role \(try db.escapeIdentifier(role))")
        defer { _ = try? db.execute("reset role") }
        return try body()
    }

    @Test func gemeenteTenantsSeeOnlyTheirOwnRows() throws {
        try withTenantWarehouse { _, _, db throws in
            for gemeente in Self.gemeenten {
                let role = TenantRegistry.roleName(kind: .gemeente, code: gemeente)
                let relations = try readable(by: role, db)
                #expect(relations.count >= 15)
                let expectedSpending = try db.scalar("select sum(amount) from core.spending where gemeente_code = $1", [gemeente], as: Decimal.self)
                try asRole(role, db) { () throws in
                    for relation in relations where relation.hasGemeente {
                        let foreign = try db.scalar("select count(*) from \(relation.name) where gemeente_code is distinct from $1", [gemeente], as: Int.self)
                        #expect(foreign == 0, "\(role) sees foreign rows in \(relation.name)")
                        for other in Self.gemeenten where other != gemeente {
                            let n = try db.scalar("select count(*) from \(relation.name) where gemeente_code = $1", [other], as: Int.self)
                            #expect(n == 0)
                        }
                    }
                    // Own rows are there.
                    #expect(try db.scalar("select count(*) from core.spending", as: Int.self) ?? 0 > 0)
                    #expect(try db.scalar("select count(*) from core.gemeente", as: Int.self) == 1)
                    // Joins and aggregates see no more.
                    let joined = try db.scalar(
                        "select count(*) from core.spending s cross join core.gemeente g where g.gemeente_code <> $1 or s.gemeente_code <> $1", [gemeente],
                        as: Int.self)
                    #expect(joined == 0)
                    #expect(try db.scalar("select sum(amount) from rpt.spending_per_gemeente", as: Decimal.self) == expectedSpending)
                    #expect(try db.scalar("select sum(amount) from core.spending", as: Decimal.self) == expectedSpending)
                    #expect(try db.scalar("select count(distinct gemeente_code) from rpt.activity_overview", as: Int.self) == 1)
                    // The werkgebied benchmark covers every gemeente (aggregates only).
                    #expect(try db.scalar("select vhe from rpt.werkgebied_benchmark where edition_year = 2018", as: Int.self) == 4)
                }
            }
        }
    }

    @Test func tenantFunctionsAnswerOnlyForTheCaller() throws {
        try withTenantWarehouse { _, _, db throws in
            let bb = TenantRegistry.roleName(kind: .partner, code: "buurtbemiddeling")
            let vaart = TenantRegistry.roleName(kind: .partner, code: "vaart-welzijn")
            let assen = TenantRegistry.roleName(kind: .gemeente, code: "GM0106")
            let hoogeveen = TenantRegistry.roleName(kind: .gemeente, code: "GM0118")
            #expect(try db.scalar("select cardinality(core.partner_gemeenten('buurtbemiddeling'))", as: Int.self) ?? 0 > 0)
            try asRole(vaart, db) { () throws in
                #expect(try db.scalar("select cardinality(core.partner_gemeenten('buurtbemiddeling'))", as: Int.self) == 0)
                #expect(try db.scalar("select core.tenant_partner($1) is null", [bb], as: Bool.self) == true)
                #expect(try db.scalar("select core.tenant_partner($1)", [vaart], as: String.self) == "vaart-welzijn")
                #expect(try db.scalar("select cardinality(core.partner_gemeenten('vaart-welzijn'))", as: Int.self) ?? 0 > 0)
            }
            try asRole(assen, db) { () throws in
                #expect(try db.scalar("select core.tenant_gemeente($1) is null", [hoogeveen], as: Bool.self) == true)
                #expect(try db.scalar("select core.tenant_gemeente($1)", [assen], as: String.self) == "GM0106")
            }
            // No function of the warehouse is executable by PUBLIC.
            let open = try db.execute(
                """
                select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                where n.nspname in ('core', 'rpt', 'etl', 'staging') and has_function_privilege('public', p.oid, 'execute')
                """
            ).map { try $0.decode(0, as: String.self) }
            #expect(open.isEmpty, "\(open)")
        }
    }

    @Test func tenantsCreateNothingAndSmallGroupsAreSuppressed() throws {
        try withTenantWarehouse { _, _, db throws in
            let assen = TenantRegistry.roleName(kind: .gemeente, code: "GM0106")
            try asRole(assen, db) { () throws in
                for sql in ["select lo_create(0)", "select lo_from_bytea(0, 'x')", "create temp table t (a int)"] {
                    do {
                        try db.execute(sql)
                        Issue.record("\(sql) was allowed")
                    } catch let error as PostgresError {
                        #expect(error.sqlState == SQLState.insufficientPrivilege, "\(sql): \(error)")
                    }
                }
                // SET ROLE to the group role is possible for a login tenant, and sees nothing.
                try db.execute("set role leefbaar_tenant")
                #expect(try db.scalar("select count(*) from core.spending", as: Int.self) == 0)
                #expect(try db.scalar("select count(*) from core.gemeente", as: Int.self) == 0)
            }
            // The 2018 edition's buurten lie in 3 gemeenten: shown at the default minimum of 3, not at 4.
            try asRole(assen, db) { () throws in
                #expect(try db.scalar("select vhe from rpt.werkgebied_benchmark where edition_year = 2018", as: Int.self) == 4)
            }
            try db.execute("update core.setting set value = '4' where key = 'privacy.min_gemeenten'")
            try asRole(assen, db) { () throws in
                #expect(
                    try db.scalar(
                        "select count(*) from rpt.werkgebied_benchmark where edition_year = 2018 and vhe is null and afw_mean is null and afw_sd is null",
                        as: Int.self) == 1)
            }
            #expect(try db.scalar("select vhe from rpt.werkgebied_benchmark where edition_year = 2018", as: Int.self) == 4)
        }
    }

    @Test func partnerTenantsSeeOnlyWhatTheySuppliedOrTookPartIn() throws {
        try withTenantWarehouse { _, _, db throws in
            for partner in Self.partners {
                let role = TenantRegistry.roleName(kind: .partner, code: partner)
                let theirGemeenten = try db.scalar("select core.partner_gemeenten($1)::text", [partner], as: String.self) ?? ""
                try asRole(role, db) { () throws in
                    for relation in try readable(by: role, db) where relation.hasGemeente {
                        let outside = try db.scalar(
                            "select count(*) from \(relation.name) where not (gemeente_code = any ($1::text[]))", [theirGemeenten], as: Int.self)
                        #expect(outside == 0, "\(role) sees \(relation.name) rows outside its gemeenten")
                    }
                    #expect(try db.scalar("select count(*) from core.care_case where partner_code <> $1", [partner], as: Int.self) == 0)
                    #expect(try db.scalar("select count(*) from core.visit where partner_code is distinct from $1", [partner], as: Int.self) == 0)
                    #expect(try db.scalar("select count(*) from core.housing_unit", as: Int.self) == 0)
                    #expect(try db.scalar("select count(*) from core.leefbaarometer_score", as: Int.self) == 0)
                    #expect(try db.scalar("select count(*) from core.partner", as: Int.self) == 1)
                    let foreignActivity = try db.scalar(
                        """
                        select count(*) from core.activity a where not exists (select 1 from core.activity_partner ap
                          where ap.activity_id = a.activity_id and ap.partner_code = $1) and a.supplied_by is distinct from $1
                        """, [partner], as: Int.self)
                    #expect(foreignActivity == 0)
                    let spendingOutside = try db.scalar(
                        """
                        select count(*) from core.spending s where s.project_code not in (select project_code from core.project where partner_code = $1)
                        """, [partner], as: Int.self)
                    #expect(spendingOutside == 0)
                }
            }
            // Concrete figures per partner.
            try asRole(TenantRegistry.roleName(kind: .partner, code: "vaart-welzijn"), db) { () throws in
                #expect(try db.scalar("select sum(amount)::text from core.spending", as: String.self) == "500000.00")
                #expect(try db.scalar("select sum(visitors) from core.visit", as: Int.self) == 21)
                #expect(try db.scalar("select count(*) from core.care_case", as: Int.self) == 0)
                #expect(try db.scalar("select string_agg(gemeente_code, ',') from core.gemeente", as: String.self) == "GM0106")
            }
            try asRole(TenantRegistry.roleName(kind: .partner, code: "buurtbemiddeling"), db) { () throws in
                #expect(try db.scalar("select count(*) from core.care_case", as: Int.self) == 2)
                #expect(try db.scalar("select string_agg(activity_id, ',') from rpt.activity_overview", as: String.self) == "A2")
                // Cosis took part too, but buurtbemiddeling sees only its own participation.
                #expect(try db.scalar("select partners from rpt.activity_overview", as: String.self) == "Buurtbemiddeling")
            }
        }
    }

    @Test func tenantsAndAnalystsCannotWriteOrLiftSecurity() throws {
        try withTenantWarehouse { _, _, db throws in
            // A year partition beside the default one; tenants read neither directly.
            try db.execute("select core.spending_partition(2018)")
            try db.execute(
                "insert into core.spending (gemeente_code, journal, document, line_no, booking_date, inzet_level, amount, batch_id, source_line) values ('GM0106', 'X', 'X', 1, '2018-01-01', 'basis', 1, 1, 1)"
            )
            let partitions = ["core.spending_default", "core.spending_2018"]
            let roles =
                Self.gemeenten.map { TenantRegistry.roleName(kind: .gemeente, code: $0) }
                + Self.partners.map { TenantRegistry.roleName(kind: .partner, code: $0) } + ["leefbaar_analyst"]
            for role in roles {
                try asRole(role, db) { () throws in
                    for statement in [
                        "insert into core.spending (gemeente_code, journal, document, line_no, booking_date, inzet_level, amount, batch_id, source_line) values ('GM0106', 'X', 'X', 1, '2019-01-01', 'basis', 1, 1, 1)",
                        "update core.spending set amount = 0",
                        "delete from core.spending",
                        "alter table core.spending disable row level security",
                        "drop policy tenant_read on core.spending",
                        "truncate core.spending",
                    ] {
                        do {
                            try db.execute(statement)
                            Issue.record("\(role) could run: \(statement)")
                        } catch let error as PostgresError {
                            #expect(error.sqlState == "42501", "\(role): \(statement) → \(error.sqlState ?? "?")")
                        }
                    }
                    if role != "leefbaar_analyst" {
                        try db.execute("set row_security = off")
                        do {
                            _ = try db.execute("select count(*) from core.spending")
                            Issue.record("\(role) read with row_security off")
                        } catch let error as PostgresError {
                            #expect(error.sqlState == "42501")
                        }
                        try db.execute("set row_security = on")
                        #expect(throws: PostgresError.self) { try db.execute("select count(*) from core.tenant") }
                        for partition in partitions {
                            do {
                                _ = try db.execute("select count(*) from \(partition)")
                                Issue.record("\(role) read \(partition) directly")
                            } catch let error as PostgresError {
                                #expect(error.sqlState == "42501", "\(role): \(partition) → \(error.sqlState ?? "?")")
                            }
                        }
                    }
                }
            }
            try asRole("leefbaar_analyst", db) { () throws in
                #expect(try db.scalar("select sum(amount)::text from core.spending", as: String.self) == "920001.00")
                #expect(try db.scalar("select count(*) from core.spending_2018", as: Int.self) == 1)
                #expect(try db.scalar("select count(*) from core.care_case", as: Int.self) == 3)
                #expect(try db.scalar("select count(*) from etl.batch", as: Int.self) == 1)
            }
        }
    }

    @Test func loginTenantCannotSwitchToAnotherTenant() throws {
        try withTenantWarehouse { cluster, name, db throws in
            try TenantRegistry(connection: db).add(kind: .partner, code: "stila", name: "Stichting Stila", password: "pw-stila-1")
            let hashed = try db.scalar("select rolpassword from pg_authid where rolname = 'leefbaar_p_stila'", as: String.self)
            #expect(hashed?.hasPrefix("SCRAM-SHA-256$") == true)
            // Over TCP with the password (scram), as the tenant itself.
            let tenant = try Connection(conninfo: "host=127.0.0.1 port=\(cluster.port) dbname=\(name) user=leefbaar_p_stila password=pw-stila-1")
            #expect(try tenant.scalar("select current_user", as: String.self) == "leefbaar_p_stila")
            for other in ["leefbaar_gm0106", "leefbaar_p_vaart-welzijn", "leefbaar_owner", "leefbaar_analyst", "leefbaar_reporter"] {
                do {
                    try tenant.execute("set role \(try tenant.escapeIdentifier(other))")
                    Issue.record("stila could set role \(other)")
                } catch let error as PostgresError {
                    #expect(error.sqlState == "42501")
                }
            }
            #expect(try tenant.scalar("select count(*) from core.spending", as: Int.self) == 0)
        }
    }

    @Test func injectionShapedTenantNamesAreData() throws {
        try withTenantWarehouse { _, _, db throws in
            let registry = TenantRegistry(connection: db)
            // Codes become role and folder names: anything but letters, digits and hyphens is refused, nothing made.
            for code in ["x\"; drop table core.spending; --", "Vaart's Welzijn; \"q\"", "a b;c", "-leading", "x\ny"] {
                #expect(throws: WarehouseError.self) { try registry.add(kind: .partner, code: code) }
            }
            #expect(
                try db.scalar(
                    "select count(*) from pg_roles where rolname like 'leefbaar_p_%' and rolname not in ('leefbaar_p_vaart-welzijn', 'leefbaar_p_buurtbemiddeling')",
                    as: Int.self) == 0)
            // Names are data, whatever they hold; codes are normalised to lower case.
            let tenant = try registry.add(kind: .partner, code: "Wijk-Team-7", name: "Naam '); drop table core.area; --")
            #expect(tenant.code == "wijk-team-7" && tenant.roleName == "leefbaar_p_wijk-team-7")
            #expect(tenant.name == "Naam '); drop table core.area; --")
            #expect(try db.scalar("select to_regclass('core.spending') is not null and to_regclass('core.area') is not null", as: Bool.self) == true)
            try registry.remove(code: "wijk-team-7")
            #expect(throws: WarehouseError.self) { try registry.add(kind: .gemeente, code: "GM01'06") }
            // Adding an existing tenant again (in any case) changes nothing.
            #expect(try registry.add(kind: .gemeente, code: "gm0106").code == "GM0106")
            #expect(try db.scalar("select count(*) from core.tenant where tenant_code = 'GM0106'", as: Int.self) == 1)
        }
    }
}
