// swift-tools-version:6.1
// Phasor: state space models, exactly solvable oscillator networks, and the explicit operator between them.
// The targets follow the layers of DESIGN.md §1; a lower layer never imports a higher one. Every dependency list equals
// the target's imports: `make test` builds with --explicit-target-dependency-import-check error (SwiftPM: no import
// outside the declared closure) and PackageImportsTests checks the lists both ways (no import undeclared, no
// declaration unused).
import PackageDescription

let package = Package(
    name: "Phasor",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "PhasorNumerics", targets: ["PhasorNumerics"]),
        .library(name: "PhasorData", targets: ["PhasorData"]),
        .library(name: "PhasorFigures", targets: ["PhasorFigures"]),
        .library(name: "PhasorModels", targets: ["PhasorModels"]),
        .library(name: "PhasorOscillators", targets: ["PhasorOscillators"]),
        .library(name: "PhasorCorrespondence", targets: ["PhasorCorrespondence"]),
        .library(name: "PhasorIdentification", targets: ["PhasorIdentification"]),
        .library(name: "PhasorOperator", targets: ["PhasorOperator"]),
        .library(name: "PhasorAnalysis", targets: ["PhasorAnalysis"]),
        .library(name: "PhasorReport", targets: ["PhasorReport"]),
        .executable(name: "phasor", targets: ["phasor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // LAPACKE + OpenBLAS from the system (Debian: liblapacke-dev libopenblas-dev).
        .systemLibrary(
            name: "CLapack",
            pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev", "libopenblas-dev"]), .brew(["openblas", "lapack"])]
        ),
        // SIMD kernels in C, one copy per instruction-set level (baseline, AVX2+FMA, AVX-512F) chosen at run time;
        // Swift reaches them only through PhasorNumerics' SIMDKernels (Sources/CPhasorKernels/README.md).
        .target(name: "CPhasorKernels", exclude: ["README.md"]),
        // numerics: dense complex linear algebra, FFT, special functions, Chebyshev, ODE integrators, SIMD kernels;
        // the only user of BLAS/LAPACK and of the C kernels.
        .target(
            name: "PhasorNumerics",
            dependencies: ["CLapack", "CPhasorKernels", .product(name: "Numerics", package: "swift-numerics")],
            exclude: ["FFT/README.md"]
        ),
        // data: .npy, safetensors, UCR/UEA .ts, CSV, datasets, file summaries.
        .target(name: "PhasorData", dependencies: ["PhasorNumerics"]),
        // figures: the one figure kit (SVG writer, frames, charts) every drawing layer uses.
        .target(name: "PhasorFigures", dependencies: ["PhasorNumerics"]),
        // models: SSM layers, the S4Model classifier with its typed parts, forward + backward, optimiser, checkpoints.
        .target(name: "PhasorModels", dependencies: ["PhasorNumerics", "PhasorData"]),
        // oscillators: single oscillators in closed form, coupled networks, Kuramoto and its exact complex form.
        .target(name: "PhasorOscillators", dependencies: ["PhasorNumerics", "PhasorFigures"]),
        // correspondence: SSM → oscillator network and back; rings of diagonal SSMs; travelling waves; design.
        .target(name: "PhasorCorrespondence", dependencies: ["PhasorNumerics", "PhasorData", "PhasorModels"]),
        // identification: measured series → exact / Hankel DMD, HAVOK → LTISystem (and an S4D design from its modes).
        .target(
            name: "PhasorIdentification",
            dependencies: ["PhasorNumerics", "PhasorData", "PhasorFigures", "PhasorCorrespondence"]
        ),
        // operator: the explicit operator of a whole model — graded evaluation, interaction attribution.
        .target(
            name: "PhasorOperator",
            dependencies: ["PhasorNumerics", "PhasorModels", "PhasorCorrespondence", "PhasorFigures"]
        ),
        // analysis: timescales, coherence, memory, training dynamics, expressivity.
        .target(
            name: "PhasorAnalysis",
            dependencies: ["PhasorNumerics", "PhasorData", "PhasorModels", "PhasorCorrespondence", "PhasorFigures"]
        ),
        // report: the self-contained HTML report, JSON summaries, and the demo pipeline.
        .target(
            name: "PhasorReport",
            dependencies: [
                "PhasorNumerics", "PhasorData", "PhasorFigures", "PhasorModels", "PhasorCorrespondence", "PhasorOperator",
                "PhasorAnalysis",
            ]
        ),
        // cli: thin — parses, calls the library, prints.
        .executableTarget(
            name: "phasor",
            dependencies: [
                "PhasorNumerics", "PhasorData", "PhasorFigures", "PhasorModels", "PhasorOscillators",
                "PhasorCorrespondence", "PhasorIdentification", "PhasorOperator", "PhasorAnalysis", "PhasorReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test targets depend on what they import; PhasorCLITests also on the executable it runs.
        .testTarget(name: "PhasorNumericsTests", dependencies: ["PhasorNumerics"]),
        .testTarget(name: "PhasorDataTests", dependencies: ["PhasorNumerics", "PhasorData"],
                    exclude: ["Regressions"]),     // read from #filePath by FuzzRegressionTests, not as resources
        .testTarget(name: "PhasorFiguresTests", dependencies: ["PhasorNumerics", "PhasorFigures"]),
        .testTarget(name: "PhasorModelsTests", dependencies: ["PhasorNumerics", "PhasorData", "PhasorModels"]),
        .testTarget(name: "PhasorOscillatorsTests", dependencies: ["PhasorNumerics", "PhasorOscillators"]),
        .testTarget(
            name: "PhasorCorrespondenceTests",
            dependencies: ["PhasorNumerics", "PhasorData", "PhasorModels", "PhasorCorrespondence"]
        ),
        .testTarget(
            name: "PhasorIdentificationTests",
            dependencies: ["PhasorNumerics", "PhasorData", "PhasorOscillators", "PhasorCorrespondence", "PhasorIdentification"]
        ),
        .testTarget(name: "PhasorOperatorTests", dependencies: ["PhasorNumerics", "PhasorModels", "PhasorOperator"]),
        .testTarget(
            name: "PhasorAnalysisTests",
            dependencies: ["PhasorNumerics", "PhasorModels", "PhasorCorrespondence", "PhasorAnalysis"]
        ),
        .testTarget(name: "PhasorReportTests", dependencies: ["PhasorNumerics", "PhasorAnalysis", "PhasorReport"]),
        .testTarget(name: "PhasorCLITests", dependencies: ["phasor", "PhasorNumerics", "PhasorData", "PhasorOscillators"]),
    ]
)
