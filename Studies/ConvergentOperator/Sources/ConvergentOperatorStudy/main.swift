// The measurements behind docs/operator.md "The convergent order" (issue 13): for one checkpoint and data set,
//   (a) per-channel surrogates (exact outside the channel's range) at orders 1…K, and (a′) the same pure polynomials;
//   (b) the band decomposition of every GELU truncated at orders 1…n, and (b′) with the gates decomposed too;
//   (c) the range surrogate (one Chebyshev fit per layer and function) at degrees 1…K;
//   the logit attribution to band sets of each layer (sums, remainder beyond pairs, top pairs), and the costs.
// Surrogates, bands and anchors are fitted on the training part; every table is computed on the test part.
// Usage: convergent-operator-study --model M --data D [--test-fraction F --seed S] [--max-order K] [--samples N]
//        [--floor φ] [--range-quantile q] [--rule channel|layer] [--gate-orders 1,2,3] [--gate-samples N] [--attribution-samples N]
//        [--skip pure,range,bands,gate,attribution] [--json OUT]
//        [--timing k1,k2,…]   (costs only: CPU time, best of 3, of the replaced forward at these orders on ≤ 64 samples)
import Foundation
import PhasorData
import PhasorModels
import PhasorNumerics
import PhasorOperator

struct Options {
    var model = "", data = "", json: String?
    var testFraction: Double?, seed: UInt64 = 0
    var maxOrder = 15, samples = 0, floor = 0.02, rule = BandRule.channel, rangeQuantile = 0.0
    var gateOrders = [1, 2, 3], gateSamples = 64, attributionSamples = 8
    var skip: Set<String> = []
    var timingOrders: [Int] = []

    init(_ args: [String]) throws {
        var i = 1
        func next() throws -> String {
            i += 1
            guard i < args.count else { throw StudyError("\(args[i - 1]) needs a value") }
            return args[i]
        }
        while i < args.count {
            switch args[i] {
            case "--model": model = try next()
            case "--data": data = try next()
            case "--json": json = try next()
            case "--test-fraction": testFraction = Double(try next())
            case "--seed": seed = UInt64(try next()) ?? 0
            case "--max-order": maxOrder = Int(try next()) ?? 15
            case "--samples": samples = Int(try next()) ?? 0
            case "--floor": floor = Double(try next()) ?? 0.02
            case "--range-quantile": rangeQuantile = Double(try next()) ?? 0
            case "--rule": rule = BandRule(rawValue: try next()) ?? .channel
            case "--gate-orders": gateOrders = try next().split(separator: ",").compactMap { Int($0) }
            case "--gate-samples": gateSamples = Int(try next()) ?? 64
            case "--attribution-samples": attributionSamples = Int(try next()) ?? 8
            case "--skip": skip = Set(try next().split(separator: ",").map(String.init))
            case "--timing": timingOrders = try next().split(separator: ",").compactMap { Int($0) }
            default: throw StudyError("unknown option \(args[i])")
            }
            i += 1
        }
        guard !model.isEmpty, !data.isEmpty else { throw StudyError("--model and --data are required") }
    }
}

struct StudyError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

struct Arrays {
    var x: [Double], batch: Int, length: Int, lengths: [Int], labels: [Int]

    init(_ set: SequenceDataset, checkpoint: Checkpoint, classes: [String], limit: Int) throws {
        let d = set.channels
        let position = Dictionary(classes.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        // at most `limit` samples, spread over the classes (round-robin)
        var chosen = set.samples.indices.map { $0 }
        if limit > 0, limit < chosen.count {
            let lists = set.classNames.indices.map { c in set.samples.indices.filter { set.samples[$0].label == c } }
            var order: [Int] = [], k = 0
            while order.count < limit {
                for l in lists where k < l.count && order.count < limit { order.append(l[k]) }
                k += 1
            }
            chosen = order
        }
        let L = chosen.map { set.samples[$0].length }.max() ?? 0
        x = [Double](repeating: 0, count: chosen.count * L * d)
        labels = []
        for (b, i) in chosen.enumerated() {
            var v = set.samples[i].values
            try checkpoint.standardisation?.apply(to: &v)
            x.replaceSubrange(b * L * d ..< b * L * d + v.count, with: v)
            guard let k = position[set.classNames[set.samples[i].label]] else { throw StudyError("unknown class") }
            labels.append(k)
        }
        batch = chosen.count; length = L; lengths = chosen.map { set.samples[$0].length }
    }

    func prefix(_ n: Int) -> Arrays {
        var a = self
        let m = min(n, batch), w = x.count / max(batch, 1)
        a.x = Array(x[0 ..< m * w]); a.batch = m; a.lengths = Array(lengths[0 ..< m]); a.labels = Array(labels[0 ..< m])
        return a
    }
}

/// CPU time of this process (all threads), seconds: costs on a shared machine.
func cpuNow() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func log(_ s: String) { FileHandle.standardError.write((s + "\n").data(using: .utf8)!) }
func f3(_ x: Double) -> String { x.isFinite ? String(format: x != 0 && (abs(x) < 1e-3 || abs(x) >= 1e4) ? "%.2e" : "%.3f", x) : "\(x)" }

func markdown(_ t: ConvergenceTable) -> String {
    var s = "\(t.method): \(t.samples) samples, model accuracy \(f3(t.fullAccuracy)), headline order \(t.headlineOrder().map(String.init) ?? "none")\n"
    s += "| k | rel. error | accuracy | ratio | agreement | outside | CPU / plain |\n|---|---|---|---|---|---|---|\n"
    for r in t.rows {
        s += "| \(r.order) | \(f3(r.relativeError)) | \(f3(r.accuracy)) | \(f3(r.accuracyRatio)) | \(f3(r.agreement)) | \(r.outsideFraction.map { String(format: "%.1e", $0) } ?? "–") | \(String(format: "%.1f", r.cpuSeconds / t.plainCPUSeconds))× |\n"
    }
    return s
}

func main() throws {
    let o = try Options(CommandLine.arguments)
    let checkpoint = try Checkpoint.load(path: o.model)
    let loaded = try DatasetLoader.load(path: o.data)
    var trainSet = loaded.train, testSet = loaded.test
    if let f = o.testFraction {
        let parts = try loaded.train.stratifiedSplit(validationFraction: f, seed: o.seed)
        trainSet = parts.train; testSet = parts.validation
    }
    guard let test = testSet else { throw StudyError("no test part: give --test-fraction") }
    let classes = checkpoint.classNames ?? trainSet.classNames
    let op = try OperatorModel(checkpoint.model)
    let cfg = checkpoint.model.configuration
    let fit = try Arrays(trainSet, checkpoint: checkpoint, classes: classes, limit: 0)
    let eval = try Arrays(test, checkpoint: checkpoint, classes: classes, limit: o.samples)
    log("model \(o.model): \(cfg.layers) layers, H \(cfg.dModel), N \(cfg.dState), prenorm \(cfg.prenorm); fit on \(fit.batch), evaluate on \(eval.batch) (L \(eval.length))")
    var report: [String: Any] = ["model": o.model, "data": o.data, "layers": cfg.layers, "d_model": cfg.dModel, "d_state": cfg.dState,
                                 "prenorm": cfg.prenorm, "fit_samples": fit.batch, "test_samples": eval.batch, "length": eval.length]
    var tables: [ConvergenceTable] = []
    let nl = cfg.layers
    let exactG = op.exactGELU, exactS = op.exactGate
    func table(_ name: String, _ set: Arrays, orders: [Int], _ forward: @escaping (Int) throws -> ReplacedForward) throws -> ConvergenceTable {
        let t0 = Date()
        let t = try ConvergenceTable(method: name, model: op, inputs: set.x, batch: set.batch, length: set.length, lengths: set.lengths,
                                     labels: set.labels, orders: orders, forward: forward)
        log("\(name): \(String(format: "%.1f", Date().timeIntervalSince(t0))) s")
        print(markdown(t))
        tables.append(t)
        return t
    }

    if !o.timingOrders.isEmpty {
        try timing(o, op: op, fit: fit, eval: eval.prefix(64))
        return
    }
    // (a) per-channel surrogates
    var t0 = Date()
    let surrogates = try ChannelSurrogates(model: op, inputs: fit.x, batch: fit.batch, length: fit.length, lengths: fit.lengths,
                                           maxOrder: o.maxOrder, floor: o.floor, rangeQuantile: o.rangeQuantile)
    report["surrogate_fit_seconds"] = Date().timeIntervalSince(t0)
    log("per-channel fits: \(String(format: "%.1f", Date().timeIntervalSince(t0))) s")
    _ = try table("per-channel surrogates (exact outside the range)", eval, orders: Array(1...o.maxOrder)) { k in
        let c = OutsideCounter()
        return ReplacedForward(gelu: exactG, sigmoid: exactS, stages: surrogates.stages(order: k, counter: c), counter: c)
    }
    if !o.skip.contains("pure") {
        var rows: [[String: Any]] = []
        for k in 1...o.maxOrder {
            do {
                let t = try ConvergenceTable(method: "pure", model: op, inputs: eval.x, batch: eval.batch, length: eval.length,
                                             lengths: eval.lengths, labels: eval.labels, orders: [k]) { k in
                    ReplacedForward(gelu: exactG, sigmoid: exactS, stages: surrogates.stages(order: k, exactOutside: false))
                }
                let r = t.rows[0]
                rows.append(["order": k, "relative_error": r.relativeError, "agreement": r.agreement, "accuracy_ratio": r.accuracyRatio])
            } catch {
                rows.append(["order": k, "error": "\(error)"])
            }
        }
        print("pure per-channel polynomials (no exact switch): " + rows.map { r in
            "k=\(r["order"]!): " + ((r["relative_error"] as? Double).map { "err \(f3($0)) agr \(f3(r["agreement"] as! Double))" } ?? "\(r["error"]!)")
        }.joined(separator: "; "))
        report["pure_polynomials"] = rows
    }
    // (b) band decomposition
    t0 = Date()
    let bands = try BandDecomposition(model: op, inputs: fit.x, batch: fit.batch, length: fit.length, lengths: fit.lengths, rule: o.rule)
    report["band_fit_seconds"] = Date().timeIntervalSince(t0)
    let n = bands.bands.map(\.players).max()!
    report["players"] = n
    report["bands"] = bands.bands.enumerated().map { (i, b) in
        (0..<b.bands).map { band -> [String: Any] in
            let p = b.periods(band: band).filter(\.isFinite)
            return ["layer": i, "band": band, "modes": b.periods(band: band).count,
                    "period_min": p.min() ?? 0, "period_median": p.isEmpty ? 0 : p[p.count / 2], "period_max": p.max() ?? 0]
        }
    }
    if !o.skip.contains("bands") {
        _ = try table("band decomposition of every GELU (\(o.rule.rawValue) rule, \(n) players)", eval, orders: Array(1...n)) { k in
            ReplacedForward(gelu: exactG, sigmoid: exactS, stages: bands.stages(model: op, order: k))
        }
    }
    if !o.skip.contains("gate") {
        let small = eval.prefix(o.gateSamples)
        _ = try table("band decomposition of every GELU and gate", small, orders: o.gateOrders) { k in
            ReplacedForward(gelu: exactG, sigmoid: exactS, stages: bands.stages(model: op, order: k, gate: true))
        }
        _ = try table("band decomposition of every GELU (same samples)", small, orders: o.gateOrders) { k in
            ReplacedForward(gelu: exactG, sigmoid: exactS, stages: bands.stages(model: op, order: k))
        }
    }
    // (c) range surrogate
    if !o.skip.contains("range") {
        _ = try table("range surrogate (one Chebyshev fit per layer and function)", eval, orders: Array(1...o.maxOrder)) { k in
            let r = try RangeSurrogate(model: op, inputs: fit.x, batch: fit.batch, length: fit.length, lengths: fit.lengths, degree: k)
            return ReplacedForward(gelu: r.geluExpansions, sigmoid: r.sigmoidExpansions)
        }
    }
    // attribution: ablation effects of single bands and pairs (the demo's maps), dividends' remainders (diagnostic)
    if !o.skip.contains("attribution") {
        let a = try Arrays(test, checkpoint: checkpoint, classes: classes, limit: o.attributionSamples)   // round-robin over classes
        var layers: [[String: Any]] = []
        for layer in 0..<nl {
            let b = bands.bands[layer]
            let label = (0..<b.players).map { p -> String in
                if p == b.bands { return "skip" }
                let periods = b.periods(band: p)
                return periods.isEmpty ? "b\(p) (empty)" : "b\(p) (T≈\(String(format: "%.1f", periods[periods.count / 2])))"
            }
            let c0 = cpuNow()
            let ab = try bands.ablation(model: op, inputs: a.x, batch: a.batch, length: a.length, lengths: a.lengths, layer: layer)
            let seconds = cpuNow() - c0
            let few = a.prefix(2)
            let div = try bands.dividends(model: op, inputs: few.x, batch: few.batch, length: few.length, lengths: few.lengths, layer: layer, maxOrder: n)
            let remainders = (0...n).map { div.remainder(through: $0) }
            let top = (0..<cfg.classes).map { c -> [[String: Any]] in
                let rows = a.labels.indices.filter { a.labels[$0] == c }
                return ab.topPairs(class: c, samples: rows.isEmpty ? Array(0..<a.batch) : rows, count: 3).map {
                    ["first": $0.first, "second": $0.second, "effect": $0.contribution]
                }
            }
            // size of the effects: mean |E_S| of pairs and of single bands against mean |logit|
            let C = cfg.classes
            var pairSize = 0.0, singleSize = 0.0, logitSize = 0.0
            for (i, row) in ab.terms.enumerated() {
                for (k, m) in ab.subsets.enumerated() { for c in 0..<C {
                    if m.nonzeroBitCount == 2 { pairSize += abs(row[k * C + c]) } else { singleSize += abs(row[k * C + c]) }
                } }
                logitSize += ab.logits[i].reduce(0) { $0 + abs($1) }
            }
            let pairs = Double(ab.subsets.filter { $0.nonzeroBitCount == 2 }.count), singles = Double(ab.subsets.count) - pairs
            let entry: [String: Any] = ["layer": layer, "band_labels": label, "samples": a.batch,
                                        "ablation_non_additivity": ab.nonAdditivity ?? .nan,
                                        "mean_abs_pair_effect": pairSize / pairs / Double(a.batch * C),
                                        "mean_abs_band_effect": singleSize / singles / Double(a.batch * C),
                                        "mean_abs_logit": logitSize / Double(a.batch * C),
                                        "dividend_remainders": remainders, "dividend_sum_error": div.remainder(through: n),
                                        "ablation_cpu_seconds_per_sample": seconds / Double(a.batch), "top_pairs": top]
            print("attribution, layer \(layer) (\(a.batch) samples): ablation non-additivity \(f3(ab.nonAdditivity ?? .nan)), mean |pair effect| \(f3(pairSize / pairs / Double(a.batch * C))), mean |band effect| \(f3(singleSize / singles / Double(a.batch * C))), mean |logit| \(f3(logitSize / Double(a.batch * C))); \(String(format: "%.3f", seconds / Double(a.batch))) CPU s per sample")
            print("  dividends: remainder beyond order 0…\(n) = " + remainders.map(f3).joined(separator: " "))
            print("  bands: " + label.joined(separator: ", "))
            print("  top pairs (class: (p,q) effect): " + top.enumerated().map { c, l in "\(c): " + l.map { "(\($0["first"]!),\($0["second"]!)) \(f3($0["effect"] as! Double))" }.joined(separator: " ") }.joined(separator: " | "))
            layers.append(entry)
        }
        report["attribution"] = layers
    }
    let enc = JSONEncoder()
    report["tables"] = try tables.map { try JSONSerialization.jsonObject(with: enc.encode($0)) }
    report["headlines"] = tables.map { ["method": $0.method, "order": $0.headlineOrder() as Any] }
    if let path = o.json {
        let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// CPU costs (process CPU time, best of 3) over a plain forward pass of the same samples.
func timing(_ o: Options, op: OperatorModel, fit: Arrays, eval e: Arrays) throws {
    let nl = op.blocks.count
    let exactG = op.exactGELU, exactS = op.exactGate
    func best(_ body: () throws -> Void) rethrows -> Double {
        var t = Double.infinity
        for _ in 0..<3 { let c0 = cpuNow(); try body(); t = min(t, cpuNow() - c0) }
        return t
    }
    func forward(_ stages: ForwardStages?) throws {
        _ = try op.plainForward(inputs: e.x, batch: e.batch, length: e.length, lengths: e.lengths, gelu: exactG, sigmoid: exactS, stages: stages)
    }
    let plain = try best { try forward(nil) }
    let model = try best { _ = try op.model.logits(inputs: e.x, batch: e.batch, length: e.length, lengths: e.lengths) }
    var c0 = cpuNow()
    let surrogates = try ChannelSurrogates(model: op, inputs: fit.x, batch: fit.batch, length: fit.length, lengths: fit.lengths,
                                           maxOrder: o.maxOrder, floor: o.floor)
    let surrogateFit = cpuNow() - c0
    c0 = cpuNow()
    let bands = try BandDecomposition(model: op, inputs: fit.x, batch: fit.batch, length: fit.length, lengths: fit.lengths, rule: o.rule)
    let bandFit = cpuNow() - c0
    var line = "cost over a plain forward (\(e.batch) samples, process CPU time, best of 3; plain \(String(format: "%.4f", plain)) s, S4Model.logits \(String(format: "%.2f", model / plain))×): "
    line += "fits \(String(format: "%.1f", surrogateFit)) s (surrogates on \(fit.batch) samples), \(String(format: "%.1f", bandFit)) s (bands, anchors)"
    var out: [String: Any] = ["plain_cpu_seconds": plain, "model_ratio": model / plain, "surrogate_fit_cpu_seconds": surrogateFit,
                              "band_fit_cpu_seconds": bandFit, "samples": e.batch]
    let forms = op.exactGELU
    let adapter = try best { try forward(ForwardStages(gelu: { c in c.ssmOutput.map { forms[c.layer].value($0) } },
                                                       gate: { _, z2 in z2.map { Sigmoid.value($0) } })) } / plain
    out["stage_adapter_exact_ratio"] = adapter
    line += "; the stage adapter with the exact functions \(String(format: "%.1f", adapter))×"
    var rows: [[String: Any]] = []
    for k in o.timingOrders {
        let sur = try best { try forward(surrogates.stages(order: k)) } / plain
        let hooks = try best { _ = try op.model.evaluate(inputs: e.x, batch: e.batch, length: e.length, lengths: e.lengths,
                                                         options: EvaluationOptions(pointwise: surrogates.overrides(order: k), record: false)) } / plain
        var row: [String: Any] = ["order": k, "surrogate": sur, "surrogate_model_hooks": hooks]
        line += "; k=\(k): surrogates \(String(format: "%.1f", sur))× (model hooks \(String(format: "%.1f", hooks))×)"
        if k <= bands.bands.map(\.players).max()! {
            let gelu = try best { try forward(bands.stages(model: op, order: k)) } / plain
            row["bands"] = gelu
            line += ", bands \(String(format: "%.1f", gelu))×"
            if k <= 3 {
                let gate = try best { try forward(bands.stages(model: op, order: k, gate: true)) } / plain
                row["bands_and_gates"] = gate
                line += ", bands+gates \(String(format: "%.1f", gate))×"
            }
        }
        rows.append(row)
    }
    let four = e.prefix(4)
    let onePlain = try best { _ = try op.plainForward(inputs: four.x, batch: four.batch, length: four.length, lengths: four.lengths, gelu: exactG, sigmoid: exactS) }
    let ablation = try best { for layer in 0..<nl { _ = try bands.ablation(model: op, inputs: four.x, batch: four.batch, length: four.length, lengths: four.lengths, layer: layer) } } / onePlain
    out["ablation_all_layers_ratio"] = ablation
    line += "; ablation attribution of every layer \(String(format: "%.0f", ablation))× (on 4 samples)"
    out["orders"] = rows
    print(line)
    if let path = o.json {
        try JSONSerialization.data(withJSONObject: out, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

do { try main() } catch {
    log("convergent-operator-study: \(error)")
    exit(1)
}
