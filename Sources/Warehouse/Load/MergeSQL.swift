import Postgres

/// The SQL a load runs against staging and the target, generated from the spec.
struct MergeSQL {
    let spec: FeedSpec
    let staging: String
    let target: String
    let columns: [String]

    init(spec: FeedSpec, connection: Connection) throws {
        self.spec = spec
        staging = "staging." + (try connection.escapeIdentifier(spec.name.replacingOccurrences(of: "-", with: "_")))
        // Target and column names are validated lowercase identifiers (FeedSpec.parse).
        target = spec.target
        columns = spec.columns.filter { $0.personal != .drop }.map(\.name)
    }

    /// Creates the staging table for this load (unlogged; dropped at the end of the transaction).
    var createStaging: String {
        let defs = spec.columns.filter { $0.personal != .drop }.map { "\($0.name) \($0.type.sqlType)" }
        return "drop table if exists \(staging); create unlogged table \(staging) (\(defs.joined(separator: ", ")), source_line bigint not null)"
    }

    var copyStaging: String { "copy \(staging) (\(columns.joined(separator: ", ")), source_line) from stdin" }

    /// Keys that occur more than once in the file: `key text, lines`.
    var duplicateKeys: String? {
        guard !spec.key.isEmpty else { return nil }
        let key = spec.key.joined(separator: ", ")
        return """
            select concat_ws(' / ', \(key)), string_agg(source_line::text, ', ' order by source_line)
            from \(staging) group by \(key) having count(*) > 1 order by min(source_line) limit 5
            """
    }

    /// Deletes the target rows in the scopes the staged rows cover (replace mode).
    var deleteScopes: String? {
        guard case .replace(let scope) = spec.merge else { return nil }
        let list = scope.joined(separator: ", ")
        return "delete from \(target) where (\(list)) in (select distinct \(list) from \(staging))"
    }

    /// Inserts (upsert: updates on key conflict) the staged rows with their lineage; `$1` = batch.
    var insert: String {
        let cols = columns.joined(separator: ", ")
        var sql = "insert into \(target) (\(cols), batch_id, source_line) select \(cols), $1::bigint, source_line from \(staging)"
        if spec.merge == .upsert, !spec.key.isEmpty {
            let updates = (columns.filter { !primaryKey.contains($0) } + ["batch_id", "source_line"]).map { "\($0) = excluded.\($0)" }
            sql += " on conflict (\(primaryKey.joined(separator: ", "))) do update set \(updates.joined(separator: ", "))"
        }
        return sql
    }

    /// The target's primary key columns (what ON CONFLICT needs), defaulting to the spec's key.
    var primaryKey: [String] = []

    mutating func loadPrimaryKey(_ connection: Connection) throws {
        primaryKey = try connection.execute("""
            select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any (i.indkey)
            where i.indrelid = $1::regclass and i.indisprimary order by array_position(i.indkey, a.attnum)
            """, [spec.target]).map { try $0.decode(0, as: String.self) }
        if primaryKey.isEmpty { primaryKey = spec.key }
    }
}
