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
