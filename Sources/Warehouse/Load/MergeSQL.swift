import Ingest
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
        stagingColumns = spec.columns.filter(\.isWritten).map(\.name)
        columns = spec.columns.filter { $0.isWritten && !$0.stageOnly }.map(\.name)
    }

    /// Creates the staging table for this load (unlogged; dropped at the end of the transaction).
    var createStaging: String {
        let defs = spec.columns.filter(\.isWritten).map { "\($0.name) \($0.type.sqlType)" }
        return "drop table if exists \(staging); create unlogged table \(staging) (\(defs.joined(separator: ", ")), source_line bigint not null)"
    }

    /// The load's tallies (per session, gone at commit): the rows each earlier batch loses per
    /// scope, and the rows this file brings per scope.
    static let createTallies = """
        create temp table if not exists leefbaar_gone (batch_id bigint, scope text, n bigint) on commit drop;
        create temp table if not exists leefbaar_scope (scope text primary key, brought bigint) on commit drop;
        truncate leefbaar_gone, leefbaar_scope
        """

    var copyStaging: String { "copy \(staging) (\(stagingColumns.joined(separator: ", ")), source_line) from stdin" }

    /// The spec's after-merge statements with the staging table filled in.
    var afterMerge: [String] { spec.afterMerge.map { $0.replacingOccurrences(of: "{staging}", with: staging) } }

    /// Keys that occur more than once among the staged rows and the rows this batch already
    /// merged (`$1`): `key text, lines`.
    var duplicateKeys: String? {
        guard !spec.key.isEmpty else { return nil }
        let key = spec.key.joined(separator: ", ")
        return duplicateKeys(among: "select \(key), source_line from \(staging) union all select \(key), source_line from \(target) where batch_id = $1")
    }

    /// Keys that occur more than once among `rows` (a query giving the key columns and
    /// `source_line`): `key text, lines`.
    func duplicateKeys(among rows: String) -> String {
        let key = spec.key.joined(separator: ", ")
        return """
            select concat_ws(' / ', \(key)), string_agg(source_line::text, ', ' order by source_line)
            from (\(rows)) as rows_of_batch
            group by \(key) having count(*) > 1 order by min(source_line) limit 5
            """
    }

    /// Staged rows whose primary key a row of another batch holds: `key, line, batch, feed, its line`.
    var keysHeldElsewhere: String { keysHeld(in: staging, where: "t.batch_id <> $1") }

    /// Rows of `rows` whose primary key a row of the target matching `condition` holds:
    /// `key, line, batch, feed, its line`.
    func keysHeld(in rows: String, where condition: String) -> String {
        let key = primaryKey.map { "s.\($0)" }.joined(separator: ", ")
        let join = primaryKey.map { "t.\($0) = s.\($0)" }.joined(separator: " and ")
        return """
            select concat_ws(' / ', \(key)), s.source_line, t.batch_id, b.feed, t.source_line
            from \(rows) s join \(target) t on \(join) join etl.batch b on b.batch_id = t.batch_id
            where \(condition) order by s.source_line limit 5
            """
    }

    /// A scope as one text (`2019`, `GM0106 / 2019-12-31`).
    private var scopeText: String? {
        guard case .replace(let scope) = spec.merge else { return nil }
        return "concat_ws(' / ', \(scope.map { "(\($0))::text" }.joined(separator: ", ")))"
    }

    /// Replace mode, per chunk: counts the rows the chunk brings per scope and, for scopes no
    /// earlier chunk brought, deletes the rows that earlier batches **of the same feed** hold
    /// there (so each scope is cleared once); tallies what each batch lost. `$1` = this batch,
    /// `$2` = the feed.
    ///
    /// The target's rows are matched on the scope's typed values (`target_scope` columns when the
    /// spec names them, so an index serves the delete; else the expressions), never on its text:
    /// the cost follows the rows of the scope, not the size of the target.
    var deleteScopes: String? {
        guard let scope = scopeText, case .replace(let expressions) = spec.merge else { return nil }
        let keys = expressions.indices.map { "k\($0)" }
        let typed = zip(expressions, keys).map { "(\($0)) as \($1)" }.joined(separator: ", ")
        let onTarget = spec.targetScope.isEmpty ? expressions.map { "(\($0))" } : spec.targetScope
        let targetText = "concat_ws(' / ', \(onTarget.map { "(\($0))::text" }.joined(separator: ", ")))"
        // One scope column: `= any (array(…))`, an array known before the scan, so the planner
        // takes the index even though it cannot estimate the staged scopes.
        let match =
            keys.count == 1
            ? "\(onTarget[0]) = any (array(select k0 from fresh))"
            : "(\(onTarget.joined(separator: ", "))) in (select \(keys.joined(separator: ", ")) from fresh)"
        return """
            with staged as (select \(scope) as scope, \(typed), count(*) as n from \(staging) group by \((1...keys.count + 1).map(String.init).joined(separator: ", "))),
            fresh as (select * from staged where scope not in (select scope from leefbaar_scope)),
            remember as (insert into leefbaar_scope as s select scope, n from staged
                         on conflict (scope) do update set brought = s.brought + excluded.brought),
            gone as (delete from \(target) where \(match)
                       and batch_id in (select b.batch_id from etl.batch b where b.feed = $2 and b.batch_id <> $1)
                     returning batch_id, \(targetText) as scope)
            insert into leefbaar_gone select batch_id, scope, count(*) from gone group by 1, 2
            """
    }

    /// Removes every row of an earlier batch (a `--force` reload of the same file), tallied as
    /// scope `reload`. `$1` = the earlier batch.
    var deleteBatch: String {
        """
        with gone as (delete from \(target) where batch_id = $1 returning batch_id)
        insert into leefbaar_gone select batch_id, 'reload', count(*) from gone group by 1
        """
    }

    /// Scopes the file would leave with fewer than `$1` percent of the rows they held:
    /// `scope, rows removed, rows brought`.
    static let shrunkScopes = """
        select g.scope, sum(g.n)::bigint, coalesce(max(s.brought), 0)::bigint
        from leefbaar_gone g left join leefbaar_scope s using (scope)
        where g.scope <> 'reload'
        group by g.scope having coalesce(max(s.brought), 0) * 100 < sum(g.n) * $1::numeric
        order by g.scope
        """

    /// Inserts (upsert: updates on key conflict) the staged rows with their lineage; `$1` = batch.
    /// An upsert never updates a row of this same batch: a key twice in the file shows as fewer rows.
    var insert: String {
        let cols = columns.joined(separator: ", ")
        var sql = "insert into \(target) as t (\(cols), batch_id, source_line) select \(cols), $1::bigint, source_line from \(staging)"
        if spec.merge == .upsert, !spec.key.isEmpty {
            let updates = (columns.filter { !primaryKey.contains($0) } + ["batch_id", "source_line"]).map { "\($0) = excluded.\($0)" }
            sql +=
                " on conflict (\(primaryKey.joined(separator: ", "))) do update set \(updates.joined(separator: ", ")) where t.batch_id is distinct from $1::bigint"
        }
        return sql
    }

    /// The target's primary key columns (what ON CONFLICT needs), defaulting to the spec's key.
    var primaryKey: [String] = []

    /// A rule of the target the database would enforce row by row: a CHECK constraint or NOT NULL
    /// over columns the feed fills. Staged rows that break one are taken out as rejects before
    /// the merge, so one such value never fails a whole file with a bare SQL error.
    struct RowRule {
        /// `not coalesce((expr), true)` or `col is null`, over the staging row.
        let failing: String
        let name: String
        let column: String?
        let reason: String
    }
    var rowRules: [RowRule] = []

    /// Deletes the staged rows that break a row rule and returns `source_line, rule index (1-based),
    /// the rule's column value, the row as JSON`; nil when the target has no rules.
    var takeOutBrokenRows: String? {
        guard !rowRules.isEmpty else { return nil }
        let any = rowRules.map(\.failing).joined(separator: " or ")
        let which = rowRules.enumerated().map { "when \($0.element.failing) then \($0.offset + 1)" }.joined(separator: " ")
        let value = rowRules.map { rule in "when \(rule.failing) then \(rule.column.map { "(s.\($0))::text" } ?? "null")" }.joined(separator: " ")
        return """
            delete from \(staging) s where \(any)
            returning s.source_line, case \(which) end, case \(value) end, row_to_json(s)::text
            """
    }

    mutating func loadPrimaryKey(_ connection: Connection) throws {
        primaryKey = try connection.execute(
            """
            select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any (i.indkey)
            where i.indrelid = $1::regclass and i.indisprimary order by array_position(i.indkey, a.attnum)
            """, [spec.target]
        ).map { try $0.decode(0, as: String.self) }
        if primaryKey.isEmpty { primaryKey = spec.key }
        let filled = Set(columns)
        rowRules = []
        for row in try connection.execute(
            """
            select c.conname, pg_get_constraintdef(c.oid), array_to_string(array(select a.attname from pg_attribute a
                   where a.attrelid = c.conrelid and a.attnum = any (c.conkey) order by a.attnum), ',')
            from pg_constraint c where c.conrelid = $1::regclass and c.contype = 'c' order by c.conname
            """, [spec.target])
        {
            let name: String = try row.decode(0)
            let definition: String = try row.decode(1)
            let names: String = try row.decode(2)
            let used = names.split(separator: ",").map(String.init)
            guard definition.hasPrefix("CHECK "), !used.isEmpty, used.allSatisfy(filled.contains) else { continue }
            let expression = definition.dropFirst(6).replacingOccurrences(of: " NOT VALID", with: "")
            rowRules.append(
                RowRule(
                    failing: "not coalesce(\(expression), true)", name: name, column: used.count == 1 ? used[0] : nil,
                    reason: "violates the table's rule \(name): \(definition)"))
        }
        for row in try connection.execute(
            """
            select a.attname from pg_attribute a where a.attrelid = $1::regclass and a.attnum > 0 and a.attnotnull
              and not a.attisdropped order by a.attnum
            """, [spec.target])
        {
            let column: String = try row.decode(0)
            guard filled.contains(column) else { continue }
            rowRules.append(
                RowRule(
                    failing: "s.\(column) is null", name: "\(column) not null", column: column,
                    reason: "\(column) may not be empty in \(spec.target)"))
        }
    }
}
