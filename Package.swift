// swift-tools-version:6.0
import PackageDescription

let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
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
        .target(name: "Postgres", dependencies: ["CLibPQ"], swiftSettings: settings),
        .target(
            name: "Warehouse",
            dependencies: [
                "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: settings
        ),
        .target(name: "Reports", dependencies: ["Postgres", "Warehouse"], swiftSettings: settings),
        .target(name: "CLICore", dependencies: [
            "Postgres", "Warehouse",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: settings),
        .executableTarget(
            name: "LeefbaarETL",
            dependencies: [
                "CLICore", "Postgres", "Warehouse",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "LeefbaarReport",
            dependencies: [
                "CLICore", "Postgres", "Warehouse", "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings
        ),
        .target(name: "TestSupport", dependencies: ["Postgres"], swiftSettings: settings),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "WarehouseTests", dependencies: ["Warehouse", "Postgres", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "EndToEndTests", dependencies: ["Postgres", "Warehouse", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Warehouse", "TestSupport"], exclude: ["Golden"], swiftSettings: settings),
    ]
)
