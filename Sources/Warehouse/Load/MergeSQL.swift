import Postgres

/// The SQL a load runs against staging and the target, generated from the spec.
struct MergeSQL {
    let spec: FeedSpec
    private(set) var staging: String
    let target: String
    /// The feed's name as a table name stem.
    let stagingBase: String

    /// The same SQL against another staging table (`staging.<name>`).
    func with(stagingTable name: String, connection: Connection) throws -> MergeSQL {
        var copy = self
        copy.staging = "staging." + (try connection.escapeIdentifier(name))
        return copy
    }

    /// Columns of the target the merge fills.
    let columns: [String]
    /// Columns of staging (the target's, plus stage-only ones).
    let stagingColumns: [String]

    init(spec: FeedSpec, connection: Connection) throws {
        self.spec = spec
        staging = "staging." + (try connection.escapeIdentifier(spec.name.replacingOccurrences(of: "-", with: "_")))
        stagingBase = spec.name.replacingOccurrences(of: "-", with: "_")
        // Target and column names are validated lowercase identifiers (FeedSpec.parse).
        target = spec.target
        stagingColumns = spec.columns.filter { $0.personal != .drop }.map(\.name)
        columns = spec.columns.filter { $0.personal != .drop && !$0.stageOnly }.map(\.name)
    }

    /// Creates the staging table for this load (unlogged; dropped at the end of the transaction),
    /// and a temporary tally of the rows each earlier batch loses to a replace.
    var createStaging: String {
        let defs = spec.columns.filter { $0.personal != .drop }.map { "\($0.name) \($0.type.sqlType)" }
        return "drop table if exists \(staging); create unlogged table \(staging) (\(defs.joined(separator: ", ")), source_line bigint not null)"
    }

    /// The tally of rows each earlier batch loses to a replace (per session, gone at commit).
    let createGone = "create temp table if not exists leefbaar_gone (batch_id bigint, n bigint) on commit drop; truncate leefbaar_gone"

    var copyStaging: String { "copy \(staging) (\(stagingColumns.joined(separator: ", ")), source_line) from stdin" }

    /// The spec's after-merge statements with the staging table filled in.
    var afterMerge: [String] { spec.afterMerge.map { $0.replacingOccurrences(of: "{staging}", with: staging) } }

    /// Keys that occur more than once among the staged rows and the rows this batch already
    /// merged (`$1`): `key text, lines`.
    var duplicateKeys: String? {
        guard !spec.key.isEmpty else { return nil }
        let key = spec.key.joined(separator: ", ")
        return """
            select concat_ws(' / ', \(key)), string_agg(source_line::text, ', ' order by source_line)
            from (select \(key), source_line from \(staging)
                  union all select \(key), source_line from \(target) where batch_id = $1) as rows_of_batch
            group by \(key) having count(*) > 1 order by min(source_line) limit 5
            """
    }

    /// Deletes the target rows of other batches in the scopes the staged rows cover (replace
    /// mode); tallies what each batch lost. `$1` = this batch.
    var deleteScopes: String? {
        guard case .replace(let scope) = spec.merge else { return nil }
        let list = scope.joined(separator: ", ")
        return """
            with gone as (delete from \(target) where (\(list)) in (select distinct \(list) from \(staging)) and batch_id <> $1
                          returning batch_id)
            insert into leefbaar_gone select batch_id, count(*) from gone group by batch_id
            """
    }

    /// Marks the batches that lost all their rows as replaced by `$1`.
    let markReplaced = """
        update etl.batch b set status = 'replaced', replaced_by = $1
        from (select batch_id, sum(n) as n from leefbaar_gone group by batch_id) p
        where b.batch_id = p.batch_id and b.status = 'loaded' and p.n >= b.rows_loaded
        """

    /// Inserts (upsert: updates on key conflict) the staged rows with their lineage; `$1` = batch.
    /// An upsert never updates a row of this same batch: a key twice in the file shows as fewer rows.
    var insert: String {
        let cols = columns.joined(separator: ", ")
        var sql = "insert into \(target) as t (\(cols), batch_id, source_line) select \(cols), $1::bigint, source_line from \(staging)"
        if spec.merge == .upsert, !spec.key.isEmpty {
            let updates = (columns.filter { !primaryKey.contains($0) } + ["batch_id", "source_line"]).map { "\($0) = excluded.\($0)" }
            sql += " on conflict (\(primaryKey.joined(separator: ", "))) do update set \(updates.joined(separator: ", ")) where t.batch_id is distinct from $1::bigint"
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
