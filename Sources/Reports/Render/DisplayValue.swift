import Foundation

/// Values as people read them (tables, Markdown, HTML): Dutch numbers, euro amounts.
enum DisplayValue {
    static func text(_ value: String?, _ column: ReportTable.Column) -> String {
        guard let value else { return "" }
        if column.money { return DutchNumber.euro(value, cents: column.cents) }
        switch column.kind {
        case .integer, .decimal: return DutchNumber.format(value, grouping: column.kind == .integer ? value.count > 4 : true)
        case .date:
            let p = value.prefix(10).split(separator: "-")
            return p.count == 3 ? "\(p[2])-\(p[1])-\(p[0])" : value
        case .boolean: return value == "t" ? "ja" : "nee"
        case .text: return value
        }
    }
}
