import ArgumentParser
import CLICore
import Foundation
import Ingest
import Warehouse

/// `leefbaar-report schema-doc`: writes the data dictionary from the catalog comments.
struct SchemaDoc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema-doc",
        abstract: "Write the data dictionary (docs/schema.md) from the database's COMMENT ONs."
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Where to write it; - for standard output.")
    var out = "docs/schema.md"

    func run() throws {
        let text = try SchemaDocument.generate(try connection.connect())
        if out == "-" {
            print(text, terminator: "")
        } else {
            try text.write(toFile: out, atomically: true, encoding: .utf8)
            print("wrote \(out)")
        }
    }
}
