import ArgumentParser
import CLICore
import Foundation
import Ingest
import Warehouse

/// `leefbaar-etl settings`: the corporation's own choices (core.setting).
struct Settings: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "List, get and set the corporation's settings, such as the yellow/orange cut-offs of the inzet levels.",
        subcommands: [ListSettings.self, Get.self, Set.self]
    )

    struct ListSettings: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Every setting with its value, default and meaning.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "table or json.") var format: ListingFormat = .table
        func run() throws {
            let rows = try connection.connect().execute("select key, value, default_value, description from core.setting order by key")
            format.print(header: ["key", "value", "default", "description"], rows: rows.map { r in (0..<4).map { r[$0] ?? "" } })
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one setting's value.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The setting.") var key: String
        func run() throws {
            guard let value = try connection.connect().scalar("select value from core.setting where key = $1", [key], as: String.self) else {
                throw WarehouseError(.invalidInput, "no setting '\(key)' (see leefbaar-etl settings list)")
            }
            print(value)
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a setting (numbers in dot notation).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The setting.") var key: String
        @Argument(parsing: .allUnrecognized, help: "The new value: -0.3 and -0,3 are fine.") var values: [String]
        func validate() throws {
            guard values.count == 1 else { throw ValidationError("give one value, e.g. settings set inzet.plus_sd -0.3") }
        }
        func run() throws {
            var value = values[0]
            let db = try connection.connect()
            guard let old = try db.scalar("select value from core.setting where key = $1", [key], as: String.self) else {
                throw WarehouseError(.invalidInput, "no setting '\(key)' (see leefbaar-etl settings list)")
            }
            if key.hasPrefix("inzet.") {
                // A plain decimal (a decimal comma is fine): no hex, exponents, NaN or Infinity.
                guard let plain = ExactDecimal.settingNumber(value), let number = Double(plain) else {
                    throw ValidationError("\(key) takes a number such as -0.5 (or -0,5)")
                }
                value = plain
                let other = key == "inzet.plus_sd" ? "inzet.plusplus_sd" : "inzet.plus_sd"
                let otherValue = Double(try db.scalar("select value from core.setting where key = $1", [other], as: String.self) ?? "") ?? 0
                let (plus, plusplus) = key == "inzet.plus_sd" ? (number, otherValue) : (otherValue, number)
                guard plusplus <= plus else {
                    throw ValidationError("the orange cut-off (inzet.plusplus_sd \(plusplus)) must not be above the yellow one (inzet.plus_sd \(plus))")
                }
            }
            if key == "privacy.min_gemeenten" {
                guard let n = Int(value), n >= 1 else { throw ValidationError("privacy.min_gemeenten takes a whole number of 1 or more, e.g. 3") }
            }
            if key == "focus.dimensions" {
                let dims = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                guard !dims.isEmpty, dims.allSatisfy({ ["won", "fys", "vrz", "soc", "onv"].contains($0) }) else {
                    throw ValidationError("focus.dimensions lists won, fys, vrz, soc, onv separated by commas")
                }
            }
            try db.execute("update core.setting set value = $2 where key = $1", [key, value])
            print("\(key): \(old) → \(value)")
        }
    }
}
