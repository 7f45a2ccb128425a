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

/// The batch log has one owner: no code but `BatchLog` writes `etl.batch`, `etl.reject` or
/// `etl.replacement` (migrations and models aside).
@Suite struct BatchLogOwnerTests {
    @Test func onlyTheBatchLogWritesTheBatchTables() throws {
        let sources = packageRoot().appendingPathComponent("Sources")
        let files =
            FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 50)
        let write = try NSRegularExpression(
            pattern: #"(insert\s+into|update|delete\s+from|copy)\s+etl\.(batch|reject|replacement)\b"#, options: [.caseInsensitive])
        for file in files where file.lastPathComponent != "BatchLog.swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            let hits = write.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
            #expect(hits == 0, "\(file.lastPathComponent) writes the batch log itself")
        }
    }
}
