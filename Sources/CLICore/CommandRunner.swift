import ArgumentParser
import Foundation
import Ingest
import Postgres
import Warehouse

/// Runs a root command with Leefbaar's exit codes and error format.
public enum CommandRunner {
    /// Parses the command line, runs the command, exits with the mapped status.
    public static func main<Root: ParsableCommand>(_ root: Root.Type) -> Never {
        let name = Root.configuration.commandName ?? "leefbaar"
        func fail(_ message: String, _ status: ExitStatus) -> Never {
            FileHandle.standardError.write(Data("\(name): error: \(message)\n".utf8))
            exit(status.rawValue)
        }
        // A shell asking for completions (`---completion`, from the generated scripts) is
        // answered by ArgumentParser itself.
        if CommandLine.arguments.dropFirst().first == "---completion" {
            Root.main()
            exit(0)
        }
        // Typos first: an unknown option or command is named (with the nearest known one) before
        // any other check of the command line can mask it.
        if let problem = prescan(Root.self, Array(CommandLine.arguments.dropFirst())) { fail(problem, .usage) }
        let command: any ParsableCommand
        do {
            command = try Root.parseAsRoot()
        } catch {
            if Root.exitCode(for: error) == .success { Root.exit(withError: error) }
            FileHandle.standardError.write(Data((Root.fullMessage(for: error) + "\n").utf8))
            exit(ExitStatus.usage.rawValue)
        }
        let parsed = type(of: command)
        if !parsed.configuration.subcommands.isEmpty, parsed.configuration.defaultSubcommand == nil {
            // A bare `leefbaar-etl` or `leefbaar-etl tenant`: the usage, on standard error, as a usage error.
            FileHandle.standardError.write(Data((Root.helpMessage(for: parsed) + "\n").utf8))
            exit(ExitStatus.usage.rawValue)
        }
        do {
            var runnable = command
            try runnable.run()
            exit(ExitStatus.ok.rawValue)
        } catch let error as ExitCode {
            exit(error.rawValue)
        } catch let error as ValidationError {
            fail("\(error)", .usage)
        } catch {
            if Root.exitCode(for: error) == .success { Root.exit(withError: error) }
            fail("\(error)" + hint(for: error), ExitStatus.of(error))
        }
    }

    /// What to do next, for errors met at the first hurdles.
    static func hint(for error: any Error) -> String {
        guard let pg = error as? PostgresError else { return "" }
        if pg.sqlState == SQLState.undefinedTable || pg.sqlState == SQLState.invalidSchemaName {
            return " (is the database migrated? run `leefbaar-etl migrate`)"
        }
        return ""
    }

    /// The first unknown option or command in `arguments`, as a message with a suggestion.
    static func prescan<Root: ParsableCommand>(_ root: Root.Type, _ arguments: [String]) -> String? {
        var command: any ParsableCommand.Type = root
        var path = Root.configuration.commandName ?? ""
        var previousWasOption = false
        for argument in arguments {
            if argument == "--" { return nil }
            if argument.hasPrefix("--") {
                let option = String(argument.split(separator: "=", maxSplits: 1).first ?? "")
                var known = optionNames(Root.self, command)
                if !known.contains(option), let fallback = command.configuration.defaultSubcommand {
                    // `batches --limit 5` means the default subcommand's option.
                    let theirs = optionNames(Root.self, fallback)
                    if theirs.contains(option) {
                        command = fallback
                        path += " " + fallback._commandName
                    }
                    known.formUnion(theirs)
                }
                if !known.contains(option) {
                    return "unknown option '\(option)'.\(Suggestion.phrase(option, in: known.sorted())) See '\(path) --help'"
                }
                previousWasOption = !argument.contains("=")
                continue
            }
            if argument.hasPrefix("-") {
                previousWasOption = false
                continue
            }  // -q, -v, or a negative number
            let subcommands = command.configuration.subcommands
            if !subcommands.isEmpty {
                if let next = subcommands.first(where: { $0._commandName == argument }) {
                    command = next
                    path += " " + argument
                } else if !previousWasOption {
                    let known = subcommands.map { $0._commandName }
                    return "unknown command '\(argument)'.\(Suggestion.phrase(argument, in: known)) Commands: \(known.joined(separator: ", "))"
                }
            }
            previousWasOption = false
        }
        return nil
    }

    /// The long options a command takes, read from its help.
    static func optionNames<Root: ParsableCommand>(_ root: Root.Type, _ command: any ParsableCommand.Type) -> Set<String> {
        let help = Root.helpMessage(for: command)
        var names: Set<String> = ["--help", "--version", "--generate-completion-script", "--experimental-dump-help"]
        var rest = Substring(help)
        while let start = rest.range(of: "--") {
            let tail = rest[start.upperBound...]
            let word = tail.prefix { $0.isLetter || $0.isNumber || $0 == "-" }
            if !word.isEmpty { names.insert("--" + word) }
            rest = tail
        }
        return names
    }
}
