// swift-tools-version:6.0
import PackageDescription

/// porthole: a fat library and a thin executable.
/// PortholeNet (sockets, HTTP/1.1 framing) and PortholeKube (JSON values, cluster objects)
/// are shared by the engine side (Findings, Core, REPL) and by the Lab; the engine never imports the Lab.

let package = Package(
    name: "porthole",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "porthole", targets: ["porthole"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
    ],
    targets: [
        .target(name: "PortholeNet"),
        .target(name: "PortholeKube", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "PortholeFindings", dependencies: ["PortholeKube"]),
        .target(
            name: "PortholeCore",
            dependencies: [
                "PortholeNet", "PortholeKube", "PortholeFindings",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "PortholeLab",
            dependencies: [
                "PortholeNet", "PortholeKube",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "CStartup"),
        .systemLibrary(name: "CLibEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .target(name: "PortholeREPL", dependencies: ["PortholeCore", "PortholeFindings", "CLibEdit"]),
        .executableTarget(
            name: "porthole",
            dependencies: [
                "PortholeCore", "PortholeLab", "PortholeREPL", "PortholeNet", "PortholeFindings", "CStartup",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "PortholeTestSupport", dependencies: ["PortholeCore", "PortholeLab"]),
        .testTarget(name: "PortholeNetTests", dependencies: ["PortholeNet"]),
        .testTarget(name: "PortholeKubeTests", dependencies: ["PortholeKube"]),
        .testTarget(name: "PortholeFindingsTests", dependencies: ["PortholeFindings", "PortholeKube"]),
        .testTarget(name: "PortholeCoreTests", dependencies: ["PortholeCore", "PortholeFindings", "PortholeTestSupport"]),
        .testTarget(name: "PortholeLabTests", dependencies: ["PortholeLab", "PortholeTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "PortholeREPLTests", dependencies: ["PortholeREPL", "PortholeTestSupport", "PortholeLab", "PortholeFindings", "PortholeKube", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "EndToEndTests", dependencies: ["PortholeTestSupport"], exclude: ["Fixtures"]),
    ]
)
