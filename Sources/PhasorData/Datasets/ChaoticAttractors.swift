import Foundation
import PhasorNumerics

// Chaotic attractors as measured series, for system identification (docs/identification.md). The catalogue
// Data/dysts/chaotic_attractors.json (dysts, W. Gilpin, Apache-2.0; Data/dysts/LICENSE.md) holds each system's
// parameters, an initial condition on the attractor and its dominant period — not series. The series are integrated
// here with the project's own DOP853 (rtol 1e-10, atol 1e-12, dense output at the sample times) from the equations
// below, written from the original papers with the catalogue's parameter names:
//   Lorenz (1963)      ẋ = σ(y − x),                 ẏ = x(ρ − z) − y,            ż = xy − βz
//   Rössler (1976)     ẋ = −y − z,                   ẏ = x + ay,                  ż = b + z(x − c)
//   Thomas (1999)      ẋ = −ax + b sin y,            ẏ = −ay + b sin z,           ż = −az + b sin x
//   Halvorsen (Sprott 2010)  ẋ = −ax − b(y + z) − y², and cyclically (x → y → z → x)
//   Aizawa (Langford 1984)   ẋ = (z − b)x − dy,       ẏ = dx + (z − b)y,
//                            ż = c + az − z³/3 − (x² + y²)(1 + ez) + fzx³
//   Chen (1999)        ẋ = a(y − x),                 ẏ = (c − a)x − xz + cy,      ż = xy − bz
//   Sprott A (1994)    ẋ = y,                        ẏ = −x + yz,                 ż = 1 − y²
// The default sample step is the catalogue's period / 100 (100 samples per dominant period).

/// One system of the catalogue: its parameters, an initial condition on the attractor and its dominant period.
public struct AttractorEntry: Sendable, Equatable {
    public let name: String
    public let parameters: [String: Double]
    public let initialConditions: [Double]
    /// The dominant period (time units of the equations).
    public let period: Double
    public let citation: String
}

/// The bundled catalogue of chaotic attractors (Data/dysts/chaotic_attractors.json).
public struct AttractorCatalogue: Sendable {
    /// Where the catalogue lives inside the project.
    public static let relativePath = "Data/dysts/chaotic_attractors.json"
    /// The systems whose equations Phasor has (the catalogue holds more; those are listed but cannot be integrated).
    public static let integrable = ["Lorenz", "Rossler", "Thomas", "Halvorsen", "Aizawa", "Chen", "SprottA"]

    public let entries: [String: AttractorEntry]

    /// Reads the catalogue JSON; every entry needs numeric `parameters`, `initial_conditions` and a positive `period`.
    public init(contentsOf path: String) throws {
        let bytes = try FileBytes.read(path)
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw DataError(.badHeader, file: path, problem: "is not a JSON object of systems",
                            fix: "use the catalogue shipped in \(Self.relativePath)")
        }
        var entries: [String: AttractorEntry] = [:]
        for (name, value) in root {
            guard let entry = value as? [String: Any],
                  let parameters = entry["parameters"] as? [String: Any],
                  let initial = entry["initial_conditions"] as? [Double], !initial.isEmpty,
                  let period = entry["period"] as? Double, period > 0, period.isFinite else {
                throw DataError(.badHeader, file: path,
                                problem: "system \(name) lacks numeric parameters, initial_conditions or a positive period",
                                fix: "use the catalogue shipped in \(Self.relativePath)")
            }
            var numeric: [String: Double] = [:]
            for (key, p) in parameters { if let v = p as? Double { numeric[key] = v } }
            entries[name] = AttractorEntry(name: name, parameters: numeric, initialConditions: initial, period: period,
                                           citation: entry["citation"] as? String ?? "")
        }
        self.entries = entries
    }

    /// `length` samples of the system `name`, every `step` time units (default: period/100), starting after
    /// `transient` samples from the catalogue's initial condition. Channels are the state variables (x, y, z).
    public func series(_ name: String, length: Int, step: Double? = nil, transient: Int = 0) throws -> TimeSeries {
        guard let entry = entries[name] else {
            throw DataError(.badArgument, file: name, problem: "no such system in the catalogue",
                            fix: "choose one of \(Self.integrable.joined(separator: ", "))")
        }
        guard Self.integrable.contains(name) else {
            throw DataError(.badArgument, file: name, problem: "Phasor has no equations for this catalogue entry",
                            fix: "choose one of \(Self.integrable.joined(separator: ", "))")
        }
        let dt = step ?? entry.period / 100
        guard dt > 0, dt.isFinite else {
            throw DataError(.badArgument, file: name, problem: "sample step \(dt) is not positive and finite", fix: "give a step > 0")
        }
        guard length >= 1, transient >= 0, length <= 10_000_000 - transient else {
            throw DataError(.badArgument, file: name, problem: "length \(length) (transient \(transient)) is out of range",
                            fix: "give 1 ≤ length and length + transient ≤ 10⁷ samples")
        }
        let field = try Self.field(entry)
        let times = (0..<(transient + length)).map { Double($0) * dt }
        var options = ODEOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12)
        options.maxSteps = 100 * (transient + length) + 100_000
        let solution = try ODEIntegrator.solve(.dop853, y0: entry.initialConditions, t0: 0, outputTimes: times,
                                               options: options, field: field)
        return try TimeSeries(name: name, channels: entry.initialConditions.count,
                              values: solution.states[transient...].flatMap { $0 })
    }

    /// The vector field of an integrable entry, its parameters read by name.
    static func field(_ entry: AttractorEntry) throws
        -> (Double, UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Void {
        func p(_ key: String) throws -> Double {
            guard let v = entry.parameters[key] else {
                throw DataError(.badHeader, file: entry.name, problem: "the catalogue entry lacks parameter \(key)",
                                fix: "use the catalogue shipped in \(Self.relativePath)")
            }
            return v
        }
        guard entry.initialConditions.count == 3 else {
            throw DataError(.badHeader, file: entry.name,
                            problem: "the catalogue gives \(entry.initialConditions.count) initial values for a 3-variable system",
                            fix: "use the catalogue shipped in \(Self.relativePath)")
        }
        switch entry.name {
        case "Lorenz":
            let (sigma, rho, beta) = (try p("sigma"), try p("rho"), try p("beta"))
            return { _, u, du in
                du[0] = sigma * (u[1] - u[0])       // ẋ = σ(y − x)
                du[1] = u[0] * (rho - u[2]) - u[1]  // ẏ = x(ρ − z) − y
                du[2] = u[0] * u[1] - beta * u[2]   // ż = xy − βz
            }
        case "Rossler":
            let (a, b, c) = (try p("a"), try p("b"), try p("c"))
            return { _, u, du in
                du[0] = -u[1] - u[2]            // ẋ = −y − z
                du[1] = u[0] + a * u[1]         // ẏ = x + ay
                du[2] = b + u[2] * (u[0] - c)   // ż = b + z(x − c)
            }
        case "Thomas":
            let (a, b) = (try p("a"), try p("b"))
            return { _, u, du in
                for i in 0..<3 { du[i] = -a * u[i] + b * Double.sin(u[(i + 1) % 3]) }  // ẋ_i = −a x_i + b sin x_{i+1}
            }
        case "Halvorsen":
            let (a, b) = (try p("a"), try p("b"))
            return { _, u, du in
                for i in 0..<3 {
                    let y = u[(i + 1) % 3], z = u[(i + 2) % 3]
                    du[i] = -a * u[i] - b * (y + z) - y * y  // ẋ = −ax − b(y + z) − y², cyclically
                }
            }
        case "Aizawa":
            let (a, b, c, d, e, f) = (try p("a"), try p("b"), try p("c"), try p("d"), try p("e"), try p("f"))
            return { _, u, du in
                let (x, y, z) = (u[0], u[1], u[2])
                du[0] = (z - b) * x - d * y                                                  // ẋ = (z − b)x − dy
                du[1] = d * x + (z - b) * y                                                  // ẏ = dx + (z − b)y
                du[2] = c + a * z - z * z * z / 3 - (x * x + y * y) * (1 + e * z) + f * z * x * x * x
            }
        case "Chen":
            let (a, b, c) = (try p("a"), try p("b"), try p("c"))
            return { _, u, du in
                du[0] = a * (u[1] - u[0])                       // ẋ = a(y − x)
                du[1] = (c - a) * u[0] - u[0] * u[2] + c * u[1]  // ẏ = (c − a)x − xz + cy
                du[2] = u[0] * u[1] - b * u[2]                  // ż = xy − bz
            }
        case "SprottA":
            return { _, u, du in
                du[0] = u[1]                 // ẋ = y
                du[1] = -u[0] + u[1] * u[2]  // ẏ = −x + yz
                du[2] = 1 - u[1] * u[1]      // ż = 1 − y²
            }
        default:
            throw DataError(.badArgument, file: entry.name, problem: "Phasor has no equations for this catalogue entry",
                            fix: "choose one of \(Self.integrable.joined(separator: ", "))")
        }
    }
}
