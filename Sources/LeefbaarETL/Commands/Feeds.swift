import ArgumentParser
import CLICore
import Foundation
import Ingest
import Warehouse

/// `leefbaar-etl feeds`: the feeds of SQL/feeds, what they read and where they load.
struct Feeds: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the feeds: name, inbox file pattern, format, target table and merge mode.")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "table or json.") var format: ListingFormat = .table

    func run() throws {
        let specs = try FeedSpec.all(in: try connection.sql()).sorted { ($0.order, $0.name) < ($1.order, $1.name) }
        func merge(_ s: FeedSpec) -> String {
            if case .replace(let scope) = s.merge { return "replace by \(scope.joined(separator: ", "))" }
            return "upsert by \(s.key.joined(separator: ", "))"
        }
        func patterns(_ s: FeedSpec) -> String? { s.filePatterns.isEmpty ? nil : s.filePatterns.joined(separator: ", ") }
        if format == .json {
            let list: [[String: Any]] = specs.map {
                [
                    "feed": $0.name, "file_pattern": patterns($0) ?? NSNull(),
                    "format": $0.input.format.rawValue, "target": $0.target,
                    "merge": merge($0), "order": $0.order, "description": $0.description,
                ]
            }
            let data = try JSONSerialization.data(withJSONObject: list, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print(
            TextTable(
                header: ["feed", "file_pattern", "format", "target", "merge"],
                rows: specs.map {
                    [$0.name, patterns($0) ?? "-", $0.input.format.rawValue, $0.target, merge($0)]
                }
            ).render())
    }
}
