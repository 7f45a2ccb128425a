import ArgumentParser
import Foundation
import Postgres

/// A plain aligned table for terminals: columns padded to their widest cell; numbers right-aligned.
public struct TextTable {
    public var header: [String]
    public var rows: [[String]]
    /// Columns to right-align (by index); numbers by default.
    public var rightAligned: Set<Int>

    public init(header: [String], rows: [[String]], rightAligned: Set<Int>? = nil) {
        self.header = header
        self.rows = rows
        self.rightAligned =
            rightAligned
            ?? Set(
                header.indices.filter { i in
                    !rows.isEmpty && rows.allSatisfy { i < $0.count && TextTable.looksNumeric($0[i]) }
                })
    }

    static func looksNumeric(_ s: String) -> Bool {
        !s.isEmpty && s.allSatisfy { $0.isNumber || ".,-€ %".contains($0) } && s.contains(where: \.isNumber)
    }

    /// The table as lines of text.
    public func render() -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingWhitespace()
        }
        var out = [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += rows.map(line)
        return out.joined(separator: "\n")
    }
}
