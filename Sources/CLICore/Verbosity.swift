import ArgumentParser
import Foundation
import Logging

/// How much a command tells: `-q` only failures and files left alone, `-v` also debug detail.
public struct Verbosity: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print only failures and files left alone (for cron).") public var quiet = false
    @Flag(name: .shortAndLong, help: "Log more detail.") public var verbose = false
    public init() {}

    /// The log level these flags ask for.
    public var level: Logger.Level { quiet ? .warning : verbose ? .debug : .info }
}
