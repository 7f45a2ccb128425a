import Foundation
import Testing

/// docs/feeds.md documents every key the spec parser accepts.
@Suite struct FeedDocsTests {
    @Test func everyAcceptedSpecKeyIsDocumented() throws {
        let parser = try String(contentsOf: packageRoot().appendingPathComponent("Sources/Ingest/Feeds/FeedSpec+YAML.swift"), encoding: .utf8)
        let docs = try String(contentsOf: packageRoot().appendingPathComponent("docs/feeds.md"), encoding: .utf8)
        let regex = try NSRegularExpression(pattern: #"\.(?:string|int|bool|stringList|map|list|stringMap)\("([a-z_]+)""#)
        let keys = Set(
            regex.matches(in: parser, range: NSRange(parser.startIndex..., in: parser)).compactMap {
                Range($0.range(at: 1), in: parser).map { String(parser[$0]) }
            })
        #expect(keys.count >= 50, "found \(keys.sorted())")
        let undocumented = keys.filter { !docs.contains("\($0):") && !docs.contains("`\($0)`") }.sorted()
        #expect(undocumented.isEmpty, "accepted by the spec parser but not in docs/feeds.md: \(undocumented)")
    }
}

/// The package's root folder (these tests need no cluster, so not TestSupport).
func packageRoot(file: String = #filePath) -> URL {
    URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
