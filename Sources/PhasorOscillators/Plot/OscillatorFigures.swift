// The figures of the oscillator solutions, drawn with the figure kit (PhasorFigures): a Stuart–Landau trajectory in
// the complex plane beside |z| and arg z over time, a network's |z_i| over time, and Kuramoto phases on the unit
// circle beside the order parameter r(t).
import PhasorFigures
import PhasorNumerics

extension OscillatorTrajectory {
    public func figure() throws -> String {
        let plane = try Charts.line(title: "trajectory in the complex plane", x: FigureAxis("Re z"), y: FigureAxis("Im z"),
                                    series: [FigureSeries("z", x: states.map(\.real), y: states.map(\.imaginary))],
                                    size: (420, 420))
        let time = try Charts.line(title: "|z| and phase vs time", x: FigureAxis("t"), y: FigureAxis("|z|, arg z (rad)"),
                                   series: [FigureSeries("|z|", x: times, y: states.map(\.length)),
                                            FigureSeries("arg z", x: times, y: states.map { Double.atan2(y: $0.imaginary, x: $0.real) })])
        return Charts.row([plane, time])
    }
}

extension NetworkSolution {
    /// |z_i| vs time for every node.
    public func figure(title: String) throws -> String {
        let n = states.first?.count ?? 0
        return try Charts.line(title: title, x: FigureAxis("t"), y: FigureAxis("|z_i|"),
                               series: (0..<n).map { i in FigureSeries("|z\(i)|", x: times, y: states.map { $0[i].length }) })
    }
}

extension KuramotoSolution {
    /// The last phases as points on the unit circle, beside r(t).
    public func figure() throws -> String {
        let last = theta.last ?? []
        let ring = try Charts.scatter(title: "phases on the ring (t = \(times.last ?? 0))", x: FigureAxis("cos θ", range: -1.2...1.2),
                                      y: FigureAxis("sin θ", range: -1.2...1.2),
                                      series: [FigureSeries("θ", x: last.map { Double.cos($0) }, y: last.map { Double.sin($0) })],
                                      unitCircle: true, size: (420, 420))
        let r = try Charts.line(title: "order parameter r vs time", x: FigureAxis("t"), y: FigureAxis("r", range: 0...1),
                                series: [FigureSeries("r", x: times, y: order)])
        return Charts.row([ring, r])
    }
}
