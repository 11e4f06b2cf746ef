// The report: ONE self-contained HTML file — inline CSS, inline SVG figures from the figure kit, no scripts, no
// network. Every figure sits in a <figure> with a one-sentence caption saying what to look for.
import Foundation
import PhasorAnalysis
import PhasorFigures
import PhasorModels
import PhasorOperator

public enum HTMLReport {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static let style = """
    body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;max-width:1220px;margin:24px auto;padding:0 16px;color:#222}
    h1{font-size:26px;margin-bottom:4px}h2{font-size:19px;margin-top:34px;border-bottom:1px solid #ddd;padding-bottom:4px}
    p.lead{color:#555;margin-top:0}table{border-collapse:collapse;margin:12px 0}td,th{padding:4px 10px;border-bottom:1px solid #eee;text-align:left;font-size:14px}
    .row{display:flex;flex-wrap:wrap;gap:12px}figure{margin:8px 0;border:1px solid #eee;padding:6px;background:#fff}
    figcaption{font-size:13px;color:#444;max-width:560px;margin-top:4px}.small figure{padding:2px}.small figcaption{max-width:200px}
    code{background:#f4f4f4;padding:1px 4px}
    """

    static func figure(_ svg: String, _ caption: String, id: String) -> String {
        "<figure id=\"\(id)\" class=\"fig\">\(svg)<figcaption>\(escape(caption))</figcaption></figure>"
    }

    /// The whole report; throws if a figure cannot be drawn (never writes NaN/Inf text).
    public static func render(_ r: DemoResults, summary: DemoSummary) throws -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Phasor report</title><style>\(style)</style></head><body>"
        html += "<h1>Phasor report — S4D on sequential digits</h1>"
        html += "<p class=\"lead\">An S4Model trained on the bundled 8×8 digits read as sequences of length 64, mapped onto oscillators and rings of travelling waves, written as an explicit operator of wave–wave interactions that converges with its order (section 1), analysed and used to design a better initialisation.</p>"
        html += "<table><tr><th>quantity</th><th>value</th></tr>"
        for row in summary.table { html += "<tr><td>\(escape(row.name))</td><td>\(escape(row.value))</td></tr>" }
        html += "</table>"
        html += try operatorSection(r)
        html += try exactSection(r)
        html += try trainingSection(r)
        html += try spectrumSection(r)
        html += try familiesSection(r)
        html += try ringSection(r)
        html += try analysisSection(r)
        html += try designSection(r)
        html += "<p class=\"lead\">Stage times: " + r.stageSeconds.map { "\(escape($0.stage)) \(String(format: "%.1f", $0.seconds)) s" }.joined(separator: " · ") + ".</p>"
        html += "</body></html>\n"
        return html
    }

    static func epochs(_ h: [EpochSummary]) -> [Double] { h.map { Double($0.epoch) } }

    static func curves(_ h: [EpochSummary], prefix: String) -> (loss: [FigureSeries], accuracy: [FigureSeries]) {
        let x = epochs(h)
        var loss = [FigureSeries("\(prefix)train", x: x, y: h.map(\.trainLoss))]
        var acc = [FigureSeries("\(prefix)train", x: x, y: h.map(\.trainAccuracy))]
        if h.allSatisfy({ $0.validationLoss != nil }) {
            loss.append(FigureSeries("\(prefix)validation", x: x, y: h.map { $0.validationLoss ?? 0 }))
            acc.append(FigureSeries("\(prefix)validation", x: x, y: h.map { $0.validationAccuracy ?? 0 }))
        }
        return (loss, acc)
    }

    static func trainingSection(_ r: DemoResults) throws -> String {
        let (loss, acc) = curves(r.training.history, prefix: "")
        let e = FigureAxis("epoch", integer: true)
        return "<h2>2. Training</h2><div class=\"row\">"
            + figure(try Charts.line(title: "cross-entropy loss per epoch", x: e, y: FigureAxis("loss (nats)"), series: loss, markers: true),
                     "Both losses fall together; a validation loss turning upward would mean overfitting.", id: "fig-loss")
            + figure(try Charts.line(title: "accuracy per epoch", x: e, y: FigureAxis("accuracy (fraction)", range: 0...1), series: acc, markers: true),
                     "Validation accuracy chooses the kept epoch (\(r.training.bestEpoch)); test accuracy \(String(format: "%.3f", r.training.test.accuracy)) is measured once on held-out digits.", id: "fig-accuracy")
            + "</div>"
    }

    static func spectrumSection(_ r: DemoResults) throws -> String {
        let layers = Set(r.map.spectrum.map(\.layer)).sorted()
        let series = layers.map { l in
            let pts = r.map.spectrum.filter { $0.layer == l }
            return FigureSeries("layer \(l)", x: pts.map(\.re), y: pts.map(\.im))
        }
        let ts = r.analysis.timescales
        func hist(_ d: TimescaleDistribution, _ title: String, _ label: String, _ caption: String, _ id: String) throws -> String {
            guard d.bins.reduce(0, +) > 0 else { return "" }
            return figure(try Charts.histogram(title: title, x: FigureAxis(label), y: FigureAxis("modes (count)"),
                                               edges: d.log10Edges, counts: d.bins.map(Double.init)), caption, id: id)
        }
        return "<h2>3. The model as oscillators</h2><div class=\"row\">"
            + figure(try Charts.scatter(title: "spectrum λΔ of every mode (per step)", x: FigureAxis("Re λΔ = −damping per step"),
                                        y: FigureAxis("Im λΔ = frequency (rad/step)"), series: series),
                     "Each dot is one oscillator: further left forgets faster, higher up rotates faster; S4D-Lin starts every mode at Re λ = −½ (so Re λΔ = −Δ/2) and training moves them.", id: "fig-spectrum")
            + (try hist(ts.decaySteps, "decay times of all modes", "log10 τ/Δ (steps)",
                   "Memory lengths in time steps: modes right of log10 64 ≈ 1.8 remember the whole digit sequence.", "fig-decay"))
            + (try hist(ts.periodSteps, "periods of all modes", "log10 T/Δ (steps)",
                   "Oscillation periods in steps: short periods resolve fine stroke structure, long ones the overall shape.", "fig-period"))
            + "</div>"
    }

    static func familiesSection(_ r: DemoResults) throws -> String {
        let fams = r.families.families
        // The discrete pole μ = e^{λΔ} of each mode: inside the unit disc for every family, so they share one picture.
        func poles(_ name: String, _ pts: [(re: Double, im: Double)]) -> FigureSeries {
            FigureSeries(name, x: pts.map { Foundation.exp($0.re) * cos($0.im) }, y: pts.map { Foundation.exp($0.re) * sin($0.im) })
        }
        let series = [poles("S4D (this model)", r.map.spectrum.map { ($0.re, $0.im) })] + fams.map { poles($0.core.rawValue, $0.points) }
        var html = "<h2>3b. The other SSM families on the same digits</h2><div class=\"row\">"
        html += figure(try Charts.scatter(title: "discrete poles μ = e^{λΔ}, by family", x: FigureAxis("Re μ"),
                                          y: FigureAxis("Im μ"), series: series),
                       "One small model per family (1 layer, H = N = \(r.settings.familyWidth), \(r.settings.familyEpochs) epochs at learning rate 0.01, each in its reference skeleton with the rest of its published recipe) beside this S4D model: where each family puts its oscillators — the distance from 0 is what a mode keeps of its state per step, the angle its frequency per step. S5 and the LRU are one MIMO diagonal system per layer, LinOSS's modes come from its 2×2 oscillator blocks, S6 is not LTI — its points are λΔ at the step Δ = softplus(dt bias) of a zero projected token (real: Mamba's A is real).", id: "fig-families")
        html += "</div><table><tr><th>family</th><th>reference skeleton</th><th>modes</th><th>test accuracy</th></tr>"
        for f in fams {
            html += "<tr><td>\(escape(f.core.rawValue))</td><td>\(escape(f.skeleton.rawValue))</td><td>\(f.points.count)</td><td>\(FigureNumber.text(f.testAccuracy))</td></tr>"
        }
        return html + "</table>"
    }

    static func spaceTime(_ re: [[Double]], _ im: [[Double]], title: String) throws -> String {
        let rows = re.count, cols = re.first?.count ?? 0
        var peak = 0.0
        for k in 0..<rows { for j in 0..<cols { peak = max(peak, (re[k][j] * re[k][j] + im[k][j] * im[k][j]).squareRoot()) } }
        return try Charts.heatMap(title: title, x: FigureAxis("ring node j"), y: FigureAxis("time step k ↓"), rows: rows,
                                  columns: cols, colour: { Charts.phase(re[$0][$1], im[$0][$1], peak: peak) },
                                  note: "hue = phase arg x, brightness = √(|x|/max|x|)", size: (340, 460))
    }

    static func ringSection(_ r: DemoResults) throws -> String {
        let m = r.map
        var html = "<h2>4. Rings and travelling waves</h2><div class=\"row\">"
        for w in m.waves {
            html += figure(try spaceTime(w.nodesRe, w.nodesIm, title: "digit '\(w.sampleLabel)': layer \(w.layer), channel \(w.channel)"),
                           "The channel's ring driven by its real SSM input for a test '\(w.sampleLabel)': each input enters at node 0 and travels round the ring as a wave (ring output ≡ S4D to \(FigureNumber.text(w.relativeError)) relative).", id: "fig-ring-\(w.sampleLabel)")
        }
        html += figure(try spaceTime(m.impulseRe, m.impulseIm, title: "impulse at k = 0, same ring"),
                       "A single pulse shows the pure wave: its drift across the nodes is the speed (\(FigureNumber.text(m.impulseSpeed)) nodes/step), its fading the damping.", id: "fig-ring-impulse")
        let series = m.dispersion.map { FigureSeries($0.name, y: $0.values) }
        html += figure(try Charts.line(title: "dispersion: group velocity v(n)", x: FigureAxis("mode index n", integer: true),
                                       y: FigureAxis("v(n) (nodes/step)"), series: series, markers: true),
                       "A flat curve means every mode travels at one speed (an undistorted wave, as S4D-Lin); bends show where training made the ring dispersive.", id: "fig-dispersion")
        return html + "</div>"
    }

    static func operatorSection(_ r: DemoResults) throws -> String {
        let op = r.operatorStage.report
        var html = "<h2>1. The explicit operator: it converges with the order</h2><p class=\"lead\">" + escape(op.headline) + "</p><div class=\"row\">"
        html += figure(try op.convergenceFigure(title: "explicit operator of order k: convergence"),
                       "Order k: every GELU and GLU gate of every layer replaced, channel by channel, by its degree-k polynomial in the orthonormal basis of that channel's own training pre-activations (the exact function outside the channel's training range: \(FigureNumber.text(op.outsideFraction)) of the evaluations at k = \(op.orders.last?.order ?? 0)). Accuracy ratio and agreement with the model's predictions rise to 1 while the relative logit error falls, on \(op.samples) test digits.", id: "fig-operator-convergence")
        if let a = op.attribution {
            let x = a.orders.map { Double($0.order) }
            html += figure(try Charts.line(title: "band decomposition truncated at |S| ≤ k", x: FigureAxis("order k (bands per term)", integer: true),
                                           y: FigureAxis("ratio, agreement, error", log: true),
                                           series: [FigureSeries("accuracy ratio", x: x, y: a.orders.map(\.accuracyRatio)),
                                                    FigureSeries("agreement", x: x, y: a.orders.map(\.agreement)),
                                                    FigureSeries("logit error", x: x, y: a.orders.map { max($0.relativeError, 1e-16) })], markers: true),
                           "Each GELU input is a sum of \(a.players) players: \(a.players - 1) frequency bands of the channel's waves and the skip term. GELU of the sum is exactly the sum of the joint terms Δ_S of every set S of players (anchored at the training mean); keeping the terms of at most k bands at every layer gives this curve, exact at k = \(a.orders.last?.order ?? 0).", id: "fig-band-truncation")
        }
        html += "</div>"
        html += "<p>Band-pair maps (layer 0): the change of the sample's own class logit when the joint term of two frequency bands (off-diagonal) or one band's own term (diagonal) is removed from every channel and time step, everything else exact; mean over test digits of that class. Axes: the bands' median periods in samples (T≈…), the skip term last. Red: the pair pushes the class up.</p><div class=\"row small\">"
        let labels = r.operatorStage.bandLabels
        for (name, m) in r.operatorStage.classMaps {
            let scale = m.joined().map(abs).filter(\.isFinite).max() ?? 0
            html += figure(try Charts.heatMap(title: "class '\(name)'", x: FigureAxis("band j (period)"), y: FigureAxis("band i (period)"),
                                              rows: m.count, columns: m.count,
                                              colour: { Charts.diverging(m[$0][$1], scale: scale) },
                                              note: "±\(FigureNumber.text(scale)) (logit units)", size: (230, 250),
                                              columnLabels: labels, rowLabels: labels),
                           "Band pairs that decide '\(name)'.", id: "fig-pairs-\(name)")
        }
        html += "</div><table><tr><th>class</th><th>band pair (periods, samples)</th><th>logit change when removed</th></tr>"
        for e in (op.attribution?.layers.first?.topPairs ?? []).prefix(3 * 4) where e.first < labels.count && e.second < labels.count {
            let cls = e.class < r.training.classNames.count ? r.training.classNames[e.class] : "\(e.class)"
            html += "<tr><td>\(escape(cls))</td><td>\(escape(labels[e.first])) × \(escape(labels[e.second]))</td><td>\(FigureNumber.text(e.effect))</td></tr>"
        }
        return html + "</table>"
    }

    static func exactSection(_ r: DemoResults) throws -> String {
        let ex = r.exact
        let x = ex.orders.map { Double($0.order) }
        var html = "<h2>1b. A model explained exactly: the bilinear head</h2><p class=\"lead\">The same sizes and training with the "
            + "head y → 1×1 conv → a ⊙ b (no GELU, no sigmoid) and BatchNorm (affine at inference): every block maps a polynomial "
            + "of degree d in the input to one of degree 2d, so the model IS a polynomial of degree \(ex.degree). Test accuracy "
            + "\(FigureNumber.text(ex.test.accuracy)) against \(FigureNumber.text(r.training.test.accuracy)) for the GELU model; "
            + "its graded operator summed to order \(ex.degree) equals the model's logits to \(FigureNumber.text(ex.identityError)).</p><div class=\"row\">"
        html += figure(try Charts.line(title: "exact operator: order p of the polynomial", x: FigureAxis("order p", integer: true),
                                       y: FigureAxis("ratio, agreement, error", log: true),
                                       series: [FigureSeries("accuracy ratio", x: x, y: ex.orders.map { $0.accuracy / max(ex.fullAccuracy, 1e-300) }),
                                                FigureSeries("agreement", x: x, y: ex.orders.map(\.agreement)),
                                                FigureSeries("logit error", x: x, y: ex.orders.map { max($0.relativeError, 1e-16) })], markers: true),
                       "Σ_{q ≤ p} of the degree-q parts of the logits on \(ex.samples) test digits: nothing is approximated, and at p = \(ex.degree) the sum is the model (agreement 1, error at round-off).", id: "fig-exact-orders")
        return html + "</div>"
    }

    static func analysisSection(_ r: DemoResults) throws -> String {
        let a = r.analysis
        let series = a.layers.compactMap { l in l.memory.map { FigureSeries("layer \(l.layer)", y: $0.meanPerLag, xStart: 1) } }
        var html = "<h2>5. Memory and expressivity</h2><div class=\"row\">"
        if !series.isEmpty {
            html += figure(try Charts.line(title: "linear memory capacity MC_k (mean over channels)", x: FigureAxis("lag k (steps)"),
                                           y: FigureAxis("MC_k (fraction recalled)"), series: series),
                           "How well a linear read-out of the state recovers the input k steps back; the area under each curve is the memory capacity (at most N = \(r.settings.dState)).", id: "fig-memory")
        }
        let rho = a.layers.compactMap { l in l.correlation.map { FigureSeries("layer \(l.layer)", y: $0.mean.rho) } }
        if !rho.isEmpty {
            html += figure(try Charts.line(title: "impulse-response autocorrelation ρ(ℓ)", x: FigureAxis("lag ℓ (steps)"),
                                           y: FigureAxis("ρ (dimensionless)"), series: rho),
                           "The lag where ρ first falls below 1/e is the correlation length: how far apart two inputs can be and still be read together.", id: "fig-correlation")
        }
        html += "</div><table><tr><th>estimate</th><th>value</th></tr>"
        for l in a.layers {
            if let m = l.memory { html += "<tr><td>memory capacity, layer \(l.layer)</td><td>\(FigureNumber.text(m.meanTotal)) of N = \(m.stateDimension)</td></tr>" }
            if let s = l.entropy { html += "<tr><td>state entropy, layer \(l.layer)</td><td>S = \(FigureNumber.text(s.entropy)) (e^S = \(FigureNumber.text(s.effectiveOscillators)) effective oscillators)</td></tr>" }
        }
        if let h = a.heuristic { html += "<tr><td>\(escape(h.label))</td><td>\(FigureNumber.text(h.value))</td></tr>" }
        if let e = a.rademacher { html += "<tr><td>empirical Rademacher complexity of the read-out</td><td>\(FigureNumber.text(e.value)) ± \(FigureNumber.text(e.standardError))</td></tr>" }
        if let p = a.pacBayes { html += "<tr><td>PAC-Bayes bound on the error (Maurer, δ = \(p.delta))</td><td>\(FigureNumber.text(p.bound))</td></tr>" }
        return html + "</table>"
    }

    static func designSection(_ r: DemoResults) throws -> String {
        let d = r.design
        let (dl, da) = curves(d.defaultHistory, prefix: "default ")
        let (gl, ga) = curves(d.designedHistory, prefix: "designed ")
        let e = FigureAxis("epoch", integer: true)
        var html = "<h2>6. Designing the initialisation</h2><p>The designed initialisation puts each layer's H·N/2 modes at the quantiles of the decay times and periods the trained model found (each channel a comb across the whole measured range of τ/Δ = \(FigureNumber.text(d.memories.joined().min() ?? 0))…\(FigureNumber.text(d.memories.joined().max() ?? 0)) steps); both runs use the same seed, data and \(r.settings.designEpochs) epochs.</p><div class=\"row\">"
        html += figure(try Charts.line(title: "loss: default vs designed init", x: e, y: FigureAxis("loss (nats)"),
                                       series: dl + gl, markers: true),
                       "Lower and earlier is better: a head start of the designed curve means the measured timescales are a good prior.", id: "fig-design-loss")
        html += figure(try Charts.line(title: "accuracy: default vs designed init", x: e, y: FigureAxis("accuracy (fraction)", range: 0...1),
                                       series: (da.count > 1 && ga.count > 1 ? [da[1], ga[1]] : [da[0], ga[0]]), markers: true),
                       "Validation accuracy per epoch; test accuracy after training: default \(String(format: "%.3f", d.defaultTest.accuracy)), designed \(String(format: "%.3f", d.designedTest.accuracy)).", id: "fig-design-accuracy")
        return html + "</div>"
    }
}
