import Postgres

/// A fresh database in the shared temporary cluster, dropped after `body`.
public func withTestDatabase<T>(prefix: String = "t", _ body: (TemporaryCluster, String) throws -> T) throws -> T {
    let cluster = try TemporaryCluster.shared()
    let name = try cluster.createDatabase(prefix: prefix)
    defer { try? cluster.dropDatabase(name) }
    return try body(cluster, name)
}

/// A connection to a fresh database in the shared temporary cluster.
public func withTestConnection<T>(prefix: String = "t", _ body: (Connection) throws -> T) throws -> T {
    try withTestDatabase(prefix: prefix) { cluster, name in
        let connection = try cluster.connect(database: name)
        return try body(connection)
    }
}
