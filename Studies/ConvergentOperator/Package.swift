// swift-tools-version:6.1
// The measurements of docs/operator.md's convergent order (issue 13), in their own package so that the main
// package's `swift build`/`swift test` never build them. Run from this folder:
//   swift run -c release -Xswiftc -target-cpu -Xswiftc native convergent-operator-study --model M --data D [options]
import PackageDescription

let package = Package(
    name: "ConvergentOperatorStudy",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Phasor", path: "../..")],
    targets: [
        .executableTarget(
            name: "convergent-operator-study",
            dependencies: [
                .product(name: "PhasorData", package: "Phasor"),
                .product(name: "PhasorModels", package: "Phasor"),
                .product(name: "PhasorOperator", package: "Phasor"),
            ],
            path: "Sources/ConvergentOperatorStudy"
        ),
    ]
)
