// swift-tools-version:6.0
import PackageDescription

let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "Leefbaar",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "leefbaar-etl", targets: ["LeefbaarETL"]),
        .executable(name: "leefbaar-report", targets: ["LeefbaarReport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        // A calendar date, shared by the driver and the DB-free input layer.
        .target(name: "Dates", swiftSettings: settings),
        .target(name: "Postgres", dependencies: ["CLibPQ", "Dates"], swiftSettings: settings),
        // DB-free: input readers, the feed spec model, row conversion. Never links Postgres.
        .target(
            name: "Ingest",
            dependencies: [
                "Dates",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: settings
        ),
        .target(
            name: "Warehouse",
            dependencies: [
                "Dates", "Ingest", "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: settings
        ),
        // The sample data set (make demo, benchmarks, tests): files shaped like the partners' exports.
        .target(name: "Samples", dependencies: ["Ingest"], swiftSettings: settings),
        .target(name: "Reports", dependencies: ["Postgres", "Ingest", "Warehouse"], swiftSettings: settings),
        .target(
            name: "CLICore",
            dependencies: [
                "Postgres", "Ingest", "Warehouse",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: settings),
        .executableTarget(
            name: "LeefbaarETL",
            dependencies: [
                "CLICore", "Postgres", "Ingest", "Warehouse", "Samples",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "LeefbaarReport",
            dependencies: [
                "CLICore", "Postgres", "Ingest", "Warehouse", "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings
        ),
        .target(name: "TestSupport", dependencies: ["Postgres"], swiftSettings: settings),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "Dates", "Samples"], swiftSettings: settings),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "Dates", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "WarehouseTests", dependencies: ["Warehouse", "Ingest", "Dates", "Postgres", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "EndToEndTests", dependencies: ["Postgres", "Ingest", "Warehouse", "CLICore", "TestSupport"], swiftSettings: settings),
        .testTarget(
            name: "ReportsTests", dependencies: ["Reports", "Ingest", "Samples", "Warehouse", "TestSupport"], exclude: ["Golden"], swiftSettings: settings),
    ]
)

// `make fuzz` only (Fuzz/run.sh sets LEEFBAAR_FUZZ=1 and builds with -sanitize=fuzzer,address):
// the libFuzzer harness over the DB-free Ingest target. Never part of a normal build.
if Context.environment["LEEFBAAR_FUZZ"] == "1" {
    package.targets.append(.executableTarget(name: "LeefbaarFuzz", dependencies: ["Ingest", "Dates"], path: "Fuzz/Sources", swiftSettings: settings))
    package.products.append(.executable(name: "leefbaar-fuzz", targets: ["LeefbaarFuzz"]))
}
