// swift-tools-version:6.1
// Phasor's benchmarks, in their own package so that `swift test` on the main package never builds them.
// Run: `cd Benchmarks && swift package benchmark` (or `make bench` from the top).
import PackageDescription

let package = Package(
    name: "PhasorBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Phasor", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "PhasorBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "PhasorNumerics", package: "Phasor"),
                .product(name: "PhasorModels", package: "Phasor"),
                .product(name: "PhasorOscillators", package: "Phasor"),
            ],
            path: "Benchmarks/PhasorBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
