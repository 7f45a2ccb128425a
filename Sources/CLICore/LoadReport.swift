import Foundation
import Ingest
import Warehouse

/// Printing and writing the outcome of loads: the summary table, rejects, JSON summary.
public enum LoadReport {
    /// A summary table per file, like pgloader's.
    public static func table(_ results: [LoadResult]) -> String {
        var rows = results.map { r in
            [
                r.feed, InboxRun.escaped(r.file), r.status.rawValue, r.batchID.map(String.init) ?? "-", String(r.rowsRead), String(r.rowsLoaded),
                String(r.rowsRejected), String(format: "%.2f", r.seconds),
            ]
        }
        if results.count > 1 {
            rows.append([
                "total", "", "", "", String(results.map(\.rowsRead).reduce(0, +)), String(results.map(\.rowsLoaded).reduce(0, +)),
                String(results.map(\.rowsRejected).reduce(0, +)), String(format: "%.2f", results.map(\.seconds).reduce(0, +)),
            ])
        }
        return TextTable(
            header: ["feed", "file", "status", "batch", "read", "loaded", "rejected", "seconds"], rows: rows,
            rightAligned: [3, 4, 5, 6, 7]
        ).render()
    }

    /// The rejects as lines for a terminal.
    public static func rejectLines(_ rejects: [Reject], file: String, limit: Int = 20) -> [String] {
        var lines = rejects.prefix(limit).map { r in
            "\(file):\(r.line)\(r.column.map { ": column \($0)" } ?? ""): \(r.reason)\(r.rawValue.map { " (value '\($0.prefix(60))')" } ?? "")"
        }
        if rejects.count > limit { lines.append("… \(rejects.count - limit) more (leefbaar-etl rejects BATCH)") }
        return lines
    }

    /// Rejects as CSV: line, column, value, reason, record.
    public static func rejectsCSV(_ rejects: [(file: String, reject: Reject)]) -> String {
        func q(_ s: String?) -> String { "\"" + (s ?? "").replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var out = "file,line,column,value,reason,record\n"
        for (file, r) in rejects {
            out += [q(file), String(r.line), q(r.column), q(r.rawValue), q(r.reason), q(r.rawRecord)].joined(separator: ",") + "\n"
        }
        return out
    }

    /// A JSON summary for schedulers.
    public static func json(_ results: [LoadResult], exitCode: Int32) -> Data {
        let files: [[String: Any]] = results.map { r in
            var o: [String: Any] = [
                "feed": r.feed, "file": r.file, "status": r.status.rawValue, "rows_read": r.rowsRead,
                "rows_loaded": r.rowsLoaded, "rows_rejected": r.rowsRejected, "rows_skipped": r.rowsSkipped, "rows_filtered": r.rowsFiltered,
                "bytes": r.bytes, "seconds": (r.seconds * 1000).rounded() / 1000,
            ]
            if let b = r.batchID { o["batch"] = b }
            if let m = r.message { o["message"] = m }
            if !r.droppedColumns.isEmpty { o["dropped_columns"] = r.droppedColumns }
            if !r.personalData.isEmpty { o["personal_data_removed"] = r.personalData }
            if !r.warnings.isEmpty { o["warnings"] = r.warnings }
            if !r.replaced.isEmpty {
                o["replaced"] = r.replaced.map { ["batch": $0.batchID, "feed": $0.feed, "rows": $0.rows, "status": $0.status] as [String: Any] }
            }
            return o
        }
        let object: [String: Any] = ["exit_code": Int(exitCode), "files": files]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
    }

    /// The exit status for a set of results: 3 when a file was over its reject threshold, 1 when any failed.
    public static func exitStatus(_ results: [LoadResult]) -> ExitStatus {
        if results.contains(where: { $0.errorCode == .interrupted }) { return .interrupted }
        if results.contains(where: { $0.errorCode == .locked }) { return .locked }
        if results.contains(where: { $0.errorCode == .rejectsOverThreshold }) { return .rejectsOverThreshold }
        if results.contains(where: { $0.status == .failed }) { return .failure }
        return .ok
    }
}
