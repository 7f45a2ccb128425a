import ArgumentParser
import CLICore
import Foundation
import Ingest
import Warehouse

/// `leefbaar-etl tenant`: the gemeenten and partners that receive reports.
struct TenantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Add, list and remove tenants (gemeenten and partners), each with its own PostgreSQL role.",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a gemeente (by CBS code) or a partner as a tenant.")

        @OptionGroup var connection: ConnectionOptions

        @Argument(help: "gemeente or partner.")
        var kind: Tenant.Kind

        @Argument(help: "CBS code (GM0106) for a gemeente, a short code (vaart-welzijn) for a partner.")
        var code: String

        @Option(help: "Display name (required for a gemeente not yet in core.gemeente).")
        var name: String?

        @Flag(help: "Let the tenant's role log in (for a partner analyst who queries directly); the password is read from --password-file or standard input.")
        var login = false

        @Option(help: "File holding the password for --login (first line).")
        var passwordFile: String?

        func run() throws {
            var password: String?
            if login {
                let text: String
                if let passwordFile {
                    text = try String(contentsOfFile: passwordFile, encoding: .utf8)
                } else {
                    text = readLine(strippingNewline: true) ?? ""
                }
                // The first line; its line end (LF or CR LF) is not part of the password.
                password = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).first.map(String.init) ?? ""
                guard let password, !password.isEmpty else { throw ValidationError("--login needs a non-empty password") }
            }
            let registry = TenantRegistry(connection: try connection.connect())
            let existed = try registry.find(code) != nil
            let tenant = try registry.add(kind: kind, code: code, name: name, password: password)
            if existed {
                print("tenant \(tenant.code) (\(tenant.name)) exists already as role \(tenant.roleName); nothing changed")
                return
            }
            print("added \(tenant.kind.rawValue) tenant \(tenant.code) (\(tenant.name)) as role \(tenant.roleName)\(login ? ", can log in" : "")")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tenants and their roles.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "table or json.") var format: ListingFormat = .table

        func run() throws {
            let tenants = try TenantRegistry(connection: try connection.connect()).list()
            format.print(header: ["kind", "code", "name", "role"], rows: tenants.map { [$0.kind.rawValue, $0.code, $0.name, $0.roleName] })
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a tenant and drop its role (its data stays).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The tenant's code.", completion: Completions.tenants) var code: String

        func run() throws {
            try TenantRegistry(connection: try connection.connect()).remove(code: code)
            print("removed tenant \(code)")
        }
    }
}

extension Tenant.Kind: ExpressibleByArgument {}
