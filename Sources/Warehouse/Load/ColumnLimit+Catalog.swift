import Ingest
import Postgres

extension ColumnLimit {
    /// The limits of the target's columns, by name.
    static func read(target: String, _ connection: Connection) throws -> [String: ColumnLimit] {
        var limits: [String: ColumnLimit] = [:]
        for row in try connection.execute(
            """
            select a.attname, format_type(a.atttypid, a.atttypmod), t.typname, a.atttypmod
            from pg_attribute a join pg_type t on t.oid = a.atttypid
            where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped
            """, [target])
        {
            let name: String = try row.decode(0)
            let typeName: String = try row.decode(1)
            let kind: String = try row.decode(2)
            let typmod: Int = try row.decode(3)
            var limit = ColumnLimit(typeName: typeName)
            switch kind {
            case "numeric" where typmod >= 4:
                limit.precision = ((typmod - 4) >> 16) & 0xFFFF
                limit.scale = (typmod - 4) & 0xFFFF
            case "int2": limit.intRange = Int64(Int16.min)...Int64(Int16.max)
            case "int4": limit.intRange = Int64(Int32.min)...Int64(Int32.max)
            case "int8": limit.intRange = Int64.min...Int64.max
            case "varchar" where typmod >= 4: limit.maxLength = typmod - 4
            case "bpchar" where typmod >= 4: limit.maxLength = typmod - 4
            default: break
            }
            limits[name] = limit
        }
        return limits
    }
}
