import Foundation
import PhasorData

// Load time of the dataset readers (docs/data-formats.md): loads each dataset given on the command line 40 times and
// prints the minimum and median milliseconds per load. Not part of any package (the benchmark package does not
// depend on PhasorData); built with swiftc against a release build of PhasorData:
//
//   swift build -c release --build-path /tmp/bench --target PhasorData -Xswiftc -target-cpu -Xswiftc native
//   B=/tmp/bench/release; swiftc -O -target-cpu native -I $B/Modules -I Sources/CLapack \
//     -Xcc -fmodule-map-file=$(find /tmp/bench/checkouts/swift-numerics -path '*_NumericsShims*' -name module.modulemap) \
//     Benchmarks/DataLoad/main.swift $(find $B/{_NumericsShims,RealModule,ComplexModule,Numerics,PhasorNumerics,PhasorData}.build -name '*.o') \
//     -llapacke -lopenblas -o /tmp/dataload
//   /tmp/dataload Data/ucr/JapaneseVowels Data/ucr/ItalyPowerDemand Data/digits/digits.csv
for path in CommandLine.arguments.dropFirst() {
    var times: [Double] = []
    for _ in 0..<40 {
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try! DatasetLoader.load(path: path)
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    times.sort()
    print(String(format: "%@ min %.2f ms median %.2f ms", path, times[0], times[times.count / 2]))
}
