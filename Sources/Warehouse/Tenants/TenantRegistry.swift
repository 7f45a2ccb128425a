import Ingest
import Postgres

/// A gemeente or partner that receives reports, and its PostgreSQL role.
public struct Tenant: Sendable, Equatable {
    /// `gemeente` or `partner`.
    public enum Kind: String, Sendable, CaseIterable { case gemeente, partner }
    public let code: String
    public let kind: Kind
    public let name: String
    public let roleName: String
}

/// Adds, lists and removes tenants: a row in `core.tenant` and a role in `leefbaar_tenant`.
///
/// Names are data: role names are quoted with `PQescapeIdentifier`, values are bound parameters.
public struct TenantRegistry {
    let connection: Connection

    /// A registry on a connection that may create roles (superuser or CREATEROLE).
    public init(connection: Connection) { self.connection = connection }

    /// The role name of a tenant: `leefbaar_gm0106`, `leefbaar_p_<partner code>`.
    public static func roleName(kind: Tenant.Kind, code: String) -> String {
        switch kind {
        case .gemeente: return "leefbaar_" + code.lowercased()
        case .partner: return "leefbaar_p_" + code
        }
    }

    /// Adds a tenant. A gemeente must be known in `core.gemeente` (or `name` given to add it);
    /// a partner is added to `core.partner` when new. With `password`, the role can log in.
    @discardableResult
    public func add(kind: Tenant.Kind, code given: String, name: String? = nil, password: String? = nil) throws -> Tenant {
        // Codes are normalised: GM0106 in capitals, partner codes in lower case (they become role
        // and folder names), and a partner code holds letters, digits and hyphens only.
        let code = kind == .gemeente ? given.uppercased() : given.lowercased()
        if kind == .partner, code.range(of: #"^[a-z0-9][a-z0-9-]{0,39}$"#, options: .regularExpression) == nil {
            throw WarehouseError(
                .invalidInput,
                "a partner code holds letters, digits and hyphens only (up to 40), e.g. vaart-welzijn; '\(InboxRun.escaped(given))' is not one. The partner's name can be anything: --name \"Vaart Welzijn\""
            )
        }
        let role = TenantRegistry.roleName(kind: kind, code: code)
        guard !code.isEmpty, code.count <= 40, !code.unicodeScalars.contains(where: { $0.value < 32 }) else {
            throw WarehouseError(.invalidInput, "tenant code must be 1 to 40 printable characters")
        }
        guard role.utf8.count <= 63 else {
            throw WarehouseError(.invalidInput, "tenant code too long: role name \(role) exceeds 63 bytes")
        }
        if kind == .gemeente, code.range(of: #"^GM[0-9]{4}$"#, options: .regularExpression) == nil {
            throw WarehouseError(.invalidInput, "a gemeente tenant needs a CBS code like GM0106, not '\(code)'")
        }
        return try connection.withTransaction {
            // Codes differ in more than case: tenants' export folders and role names must not collide.
            if let row = try connection.execute("select tenant_code, kind, name, role_name from core.tenant where lower(tenant_code) = lower($1)", [code]).first
            {
                let existing = Tenant(
                    code: try row.decode(0), kind: Tenant.Kind(rawValue: try row.decode(1)) ?? kind, name: try row.decode(2), roleName: try row.decode(3))
                // Adding the same tenant again changes nothing (scripts may run twice); anything else is refused.
                if existing.code == code, existing.kind == kind, name == nil || name == existing.name, password == nil { return existing }
                throw WarehouseError(
                    .invalidInput, "tenant \(existing.code) (\(existing.kind.rawValue), \(existing.name)) already exists; remove it first to add it differently"
                )
            }
            let displayName: String
            switch kind {
            case .gemeente:
                if let known = try connection.scalar("select name from core.gemeente where gemeente_code = $1", [code], as: String.self) {
                    displayName = name ?? known
                } else if let name {
                    try connection.execute("insert into core.gemeente (gemeente_code, name) values ($1, $2)", [code, name])
                    displayName = name
                } else {
                    throw WarehouseError(.invalidInput, "gemeente \(code) is not in core.gemeente: give --name to add it")
                }
            case .partner:
                try connection.execute(
                    """
                    insert into core.partner (partner_code, name) values ($1, $2)
                    on conflict (partner_code) do update set name = coalesce($3, core.partner.name)
                    """, [code, name ?? code, name])
                displayName = try connection.scalar("select name from core.partner where partner_code = $1", [code], as: String.self) ?? code
            }
            let quoted = try connection.escapeIdentifier(role)
            let exists = try connection.scalar("select 1 from pg_roles where rolname = $1", [role], as: Int.self) != nil
            if !exists {
                do {
                    try connection.withSavepoint { try connection.execute("create role \(quoted) nologin") }
                } catch let error as PostgresError where error.sqlState == SQLState.duplicateObject || error.sqlState == SQLState.uniqueViolation {
                    // Created meanwhile by another warehouse in the same cluster: use it.
                }
            }
            try connection.execute("grant leefbaar_tenant to \(quoted)")
            try connection.execute("grant \(quoted) to leefbaar_reporter")
            if let password {
                let hashed = try connection.encryptPassword(password, user: role)
                try connection.execute("alter role \(quoted) login password \(try connection.escapeLiteral(hashed))")
            }
            try connection.execute(
                """
                insert into core.tenant (tenant_code, kind, name, role_name, gemeente_code, partner_code)
                values ($1, $2, $3, $4, $5, $6)
                """, [code, kind.rawValue, displayName, role, kind == .gemeente ? code : nil, kind == .partner ? code : nil])
            return Tenant(code: code, kind: kind, name: displayName, roleName: role)
        }
    }

    /// Every tenant, gemeenten first.
    public func list() throws -> [Tenant] {
        try connection.execute("select tenant_code, kind, name, role_name from core.tenant order by kind, tenant_code").map {
            Tenant(
                code: try $0.decode(0), kind: Tenant.Kind(rawValue: try $0.decode(1)) ?? .partner,
                name: try $0.decode(2), roleName: try $0.decode(3))
        }
    }

    /// Finds a tenant by code.
    public func find(_ code: String) throws -> Tenant? {
        try list().first { $0.code.lowercased() == code.lowercased() }
    }

    /// Removes a tenant and drops its role (its data stays).
    public func remove(code: String) throws {
        try connection.withTransaction {
            guard let role = try connection.scalar("delete from core.tenant where tenant_code = $1 returning role_name", [code], as: String.self) else {
                throw WarehouseError(.invalidInput, "no tenant \(code)")
            }
            let quoted = try connection.escapeIdentifier(role)
            try connection.execute("drop owned by \(quoted)")
            try connection.execute("drop role \(quoted)")
        }
    }
}
