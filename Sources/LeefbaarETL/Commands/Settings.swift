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
        subcommands: [ListSettings.self, Get.self, SetValue.self]
    )

    struct ListSettings: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Every setting with its value, default and meaning.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "table or json.") var format: ListingFormat = .table
        func run() throws {
            let settings = try SettingStore(connection: try connection.connect()).list()
            format.print(header: ["key", "value", "default", "description"], rows: settings.map { [$0.key, $0.value, $0.defaultValue, $0.description] })
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one setting's value.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The setting.") var key: String
        func run() throws {
            print(try SettingStore(connection: try connection.connect()).value(key))
        }
    }

    struct SetValue: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Change a setting (numbers in dot notation).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The setting.") var key: String
        @Argument(parsing: .allUnrecognized, help: "The new value: -0.3 and -0,3 are fine.") var values: [String]
        func validate() throws {
            guard values.count == 1 else { throw ValidationError("give one value, e.g. settings set inzet.plus_sd -0.3") }
        }
        func run() throws {
            do {
                let (old, new) = try SettingStore(connection: try connection.connect()).set(key, values[0])
                print("\(key): \(old) → \(new)")
            } catch let error as WarehouseError where error.code == .invalidInput {
                // A value the setting does not take is a usage error, like a malformed option.
                throw ValidationError(error.message)
            }
        }
    }
}
