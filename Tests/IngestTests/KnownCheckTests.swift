import Foundation
import Testing

@testable import Ingest

/// `known:` checks: one template for "every value exists in a reference table", read from the spec.
@Suite struct KnownCheckTests {
    static func spec(_ check: String) throws -> FeedSpec {
        try FeedSpec.parse(
            """
            feed: t
            target: core.care_case
            key: [case_id]
            columns:
              - {name: case_id, source: Dossier}
              - {name: partner_code, source: Partner}
            checks:
              - \(check)
            """, path: "t.yaml", sql: nil)
    }

    @Test func aKnownCheckBecomesOneQueryOverTheBatch() throws {
        let plain = try #require(try Self.spec("known: {column: partner_code, in: core.partner}").checks.first)
        #expect(plain.name == "partner_code_known" && plain.origin == "t.yaml:8")
        #expect(
            plain.query == """
                select source_line, "partner_code" from "core"."care_case"
                where batch_id = $1 and "partner_code" is not null and "partner_code" not in (select "partner_code" from "core"."partner" where "partner_code" is not null)
                order by source_line
                """)
        let other = try #require(
            try Self.spec("known: {column: partner_code, in: core.partner(code), table: core.activity_partner, name: link_partner}").checks.first)
        #expect(
            other.name == "link_partner" && other.query.contains(#"from "core"."activity_partner""#)
                && other.query.contains(#"select "code" from "core"."partner""#))
    }

    @Test func namesThatAreNotPlainNamesAreRefusedNamingTheLine() throws {
        for bad in [
            "known: {column: partner_code, in: \"core.partner; drop table x\"}", "known: {column: \"a b\", in: core.partner}",
            "known: {column: partner_code}", "known: {column: partner_code, in: core.partner, colour: red}",
        ] {
            do {
                _ = try Self.spec(bad)
                Issue.record("accepted: \(bad)")
            } catch let error as WarehouseError {
                #expect(error.message.contains("t.yaml:8"), "\(bad): \(error.message)")
            }
        }
    }
}

/// Found by `make fuzz` (yaml): `feed: &artners` is an anchor with an empty value, and a spec whose
/// feed had no name was accepted.
@Suite struct SpecFuzzRegressionTests {
    @Test func aFeedWithoutANameIsRefused() throws {
        let text = try String(contentsOf: packageRoot().appendingPathComponent("Fuzz/corpus/yaml/crash-empty-feed-name"), encoding: .utf8)
        #expect(text.contains("feed: &artners"))
        do {
            _ = try FeedSpec.parse(text, path: "p.yaml", sql: nil)
            Issue.record("a spec without a feed name was accepted")
        } catch let error as WarehouseError {
            #expect(error.message.contains("p.yaml:2") && error.message.contains("feed must be a name of lowercase letters"), "\(error.message)")
        }
        for bad in ["Ledger", "led ger", "../x", ""] {
            #expect(throws: WarehouseError.self) { try FeedSpec.parse("feed: \"\(bad)\"\ntarget: core.x\ncolumns:\n  - {name: a}\n", path: "q.yaml", sql: nil) }
        }
    }
}

/// `target_scope`: one plain target column per scope expression, or the spec is refused.
@Suite struct TargetScopeTests {
    static func spec(_ merge: String) throws -> FeedSpec {
        try FeedSpec.parse(
            "feed: l\ntarget: core.spending\nmerge: \(merge)\ncolumns:\n  - {name: booking_date, source: Datum, type: date}\n", path: "l.yaml", sql: nil)
    }

    @Test func oneColumnPerScopeExpression() throws {
        #expect(try Self.spec("{mode: replace, scope: [\"extract(year from booking_date)::integer\"], target_scope: [year]}").targetScope == ["year"])
        #expect(try Self.spec("{mode: replace, scope: [\"extract(year from booking_date)::integer\"]}").targetScope.isEmpty)
        for bad in ["[year, gemeente_code]", "[\"year; drop table x\"]", "[]"] {
            #expect(throws: WarehouseError.self) {
                try Self.spec("{mode: replace, scope: [\"extract(year from booking_date)::integer\"], target_scope: \(bad)}")
            }
        }
    }
}
