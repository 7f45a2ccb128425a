import Foundation
import Ingest

/// libFuzzer target: the feed spec parser (YAML through Yams, then the spec's own rules). Any
/// text ends in a spec or an error, never a crash or a hang; a spec that parses has a feed name,
/// a target and at least one column.
func fuzzSpec(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let spec = try? FeedSpec.parse(text, path: "fuzz.yaml", sql: nil) {
        precondition(!spec.name.isEmpty && !spec.target.isEmpty && !spec.columns.isEmpty, "a spec without feed, target or columns")
    }
    return 0
}
