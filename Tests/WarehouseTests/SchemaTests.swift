import Foundation
import Ingest
import Postgres
import TestSupport
import Testing
import Warehouse

@Suite(.ownThread) struct SchemaTests {
    @Test func everyFactKeyHasGemeenteCodeAndNoForeignKeyJoinsFacts() throws {
        try withMigratedDatabase { _, _, db throws in
            let kinds = try db.execute(
                """
                select c.relname, split_part(coalesce(obj_description(c.oid, 'pg_class'), ''), ':', 1)
                from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = 'core' and c.relkind in ('r', 'p') and not c.relispartition order by 1
                """
            ).map { (try $0.decode(0, as: String.self), try $0.decode(1, as: String.self)) }
            #expect(kinds.count >= 14)
            for (table, kind) in kinds {
                #expect(kind == "Fact" || kind == "Dimension", "core.\(table) comment must start with Fact: or Dimension:")
            }
            let facts = kinds.filter { $0.1 == "Fact" }.map(\.0)
            #expect(Set(facts).isSuperset(of: ["spending", "leefbaarometer_score", "initiative", "activity", "care_case", "visit", "adaptation"]))
            for fact in facts {
                let keyHasGemeente = try db.scalar(
                    """
                    select bool_or(a.attname = 'gemeente_code')
                    from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any (i.indkey)
                    where i.indisprimary and (i.indrelid = ('core.' || $1)::regclass
                      or i.indrelid in (select inhrelid from pg_inherits where inhparent = ('core.' || $1)::regclass))
                    """, [fact], as: Bool.self)
                #expect(keyHasGemeente == true, "primary key of core.\(fact) lacks gemeente_code")
            }
            let factToFact = try db.scalar(
                """
                select count(*) from pg_constraint k
                where k.contype = 'f' and k.conrelid::regclass::text = any ($1::text[]) and k.confrelid::regclass::text = any ($1::text[])
                """, ["{" + facts.map { "core.\($0)" }.joined(separator: ",") + "}"], as: Int.self)
            #expect(factToFact == 0)
        }
    }

    /// Facts reference the gemeente and partner dimensions (BI tools join them by themselves);
    /// the keys are checked at commit, so a load's data checks speak first.
    @Test func factsReferenceTheirDimensionsCheckedAtCommit() throws {
        try withMigratedDatabase { _, _, db throws in
            let keys = Set(
                try db.execute(
                    """
                    select conrelid::regclass::text || '.' || a.attname || ' -> ' || confrelid::regclass::text
                    from pg_constraint k join pg_attribute a on a.attrelid = k.conrelid and a.attnum = k.conkey[1]
                    where k.contype = 'f' and k.condeferred and k.connamespace = 'core'::regnamespace
                    """
                ).map { try $0.decode(0, as: String.self) })
            for table in [
                "area", "housing_unit", "leefbaarometer_score", "leefbaarometer2_score", "initiative", "activity",
                "activity_partner", "care_case", "visit", "adaptation", "spending",
            ] {
                #expect(keys.contains("core.\(table).gemeente_code -> core.gemeente"), "core.\(table)")
            }
            for table in ["activity_partner", "care_case", "visit"] {
                #expect(keys.contains("core.\(table).partner_code -> core.partner"), "core.\(table)")
            }
            // Accepted by the statement, refused at commit.
            do {
                try db.withTransaction {
                    try db.execute(
                        """
                        insert into core.care_case (gemeente_code, partner_code, case_id, opened_on, kind, batch_id, source_line)
                        values ('GM0106', 'nobody', 'c1', '2019-01-01', 'overlast', 1, 1)
                        """)
                }
                Issue.record("a case of an unknown partner was committed")
            } catch let error as PostgresError {
                #expect(error.sqlState == SQLState.foreignKeyViolation, "\(error)")
            }
            #expect(try db.scalar("select count(*) from core.care_case", as: Int.self) == 0)
        }
    }

    /// Every tenant_read policy takes its predicate from SQL/models/50_tenant_policies.sql, the
    /// one place that says which tenant sees which rows (spending and its aggregate share one).
    @Test func everyTenantPredicateComesFromOneModel() throws {
        let model = try String(contentsOf: packageRoot().appendingPathComponent("SQL/models/50_tenant_policies.sql"), encoding: .utf8)
        try withMigratedDatabase { _, _, db throws in
            let tables = try db.execute("select schemaname || '.' || tablename from pg_policies where policyname = 'tenant_read' order by 1")
                .map { try $0.decode(0, as: String.self) }
            #expect(tables.count == 17)
            for table in tables { #expect(model.contains("('\(table)',"), "\(table)'s tenant predicate is not in the model") }
            let spending = try db.execute(
                "select qual from pg_policies where policyname = 'tenant_read' and tablename in ('spending', 'spending_summary')"
            ).map { try $0.decode(0, as: String.self) }
            #expect(spending.count == 2 && spending[0] == spending[1], "\(spending)")
        }
    }

    @Test func everyCoreAndRptTableAndColumnIsDocumented() throws {
        try withMigratedDatabase { _, _, db throws in
            let missing = try db.execute(
                """
                select n.nspname || '.' || c.relname || coalesce('.' || a.attname, '')
                from pg_class c join pg_namespace n on n.oid = c.relnamespace
                left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                where n.nspname in ('core', 'rpt', 'etl') and c.relkind in ('r', 'p', 'v') and not c.relispartition
                  and (obj_description(c.oid, 'pg_class') is null or (a.attname is not null and col_description(c.oid, a.attnum) is null))
                order by 1
                """
            ).map { try $0.decode(0, as: String.self) }
            #expect(missing.isEmpty, "undocumented: \(missing.joined(separator: ", "))")
        }
    }

    @Test func committedDataDictionaryIsInSync() throws {
        try withMigratedDatabase { _, _, db throws in
            let generated = try SchemaDocument.generate(db)
            let committed = try String(contentsOf: packageRoot().appendingPathComponent("docs/schema.md"), encoding: .utf8)
            #expect(generated == committed, "docs/schema.md is stale: run `leefbaar-report schema-doc` on a migrated database")
        }
    }

    @Test func forceRowLevelSecurityOnEveryTenantReachableTable() throws {
        try withMigratedDatabase { _, _, db throws in
            let unprotected = try db.execute(
                """
                select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = 'core' and c.relkind in ('r', 'p')
                  and has_table_privilege('leefbaar_tenant', c.oid, 'select')
                  and not (c.relrowsecurity and c.relforcerowsecurity)
                """
            ).map { try $0.decode(0, as: String.self) }
            #expect(unprotected.isEmpty)
            #expect(try db.scalar("select has_table_privilege('leefbaar_tenant', 'core.tenant', 'select')", as: Bool.self) == false)
            #expect(try db.scalar("select has_table_privilege('leefbaar_tenant', 'etl.batch', 'select')", as: Bool.self) == false)
        }
    }
}
