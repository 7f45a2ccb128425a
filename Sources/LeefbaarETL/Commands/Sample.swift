import ArgumentParser
import CLICore
import Ingest
import Samples
import Warehouse

/// `leefbaar-etl sample`: writes the sample data set.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a realistic, deterministic set of input files for every feed.",
        discussion: "With the defaults the files reproduce the 2019 figures of the annual report. --scale multiplies the row counts (totals stay the same)."
    )

    @Option(help: "Folder to write the files into.") var out: String
    @Option(help: "The year of the ledger, stock, activities, cases and adaptations.") var year = 2019
    @Option(help: "Multiply row counts by this (for benchmarks).") var scale = 1
    @Option(help: "Random seed.") var seed: UInt64 = 2019
    @Option(help: "Only the files of these feeds (repeatable), e.g. --only ledger.") var only: [String] = []

    func validate() throws {
        guard scale >= 1 else { throw ValidationError("--scale must be 1 or more") }
        guard (2012...2100).contains(year) else { throw ValidationError("--year must be 2012 or later") }
    }

    func run() throws {
        var sample = SampleData(year: year, scale: scale, seed: seed)
        sample.only = Set(only)
        let files = try sample.write(to: out)
        for (feed, file) in files { print("\(feed)\t\(out)/\(file)") }
    }
}
