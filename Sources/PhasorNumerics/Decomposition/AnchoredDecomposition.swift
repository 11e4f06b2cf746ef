// The anchored (Harsanyi/Möbius) decomposition of a function of a sum of players (issue 13, DESIGN.md §7).
// Players w_1…w_n (arrays of one shape) with anchors a_i (e.g. their data means); A = Σ_i a_i, d_i = w_i − a_i and
//     x_T = A + Σ_{i∈T} d_i                               (x_∅ = A, x_{all} = Σ_i w_i)
//     Δ_S = Σ_{T⊆S} (−1)^{|S|−|T|} f(x_T)                (Möbius inversion on the subset lattice)
// so that f(x_T) = Σ_{S⊆T} Δ_S for every T; in particular f(Σ_i w_i) = Σ_S Δ_S exactly, and Δ_S = 0 whenever a
// player of S sits at its anchor (d_i = 0). Δ_S is the joint contribution of the players in S beyond all their
// subsets'. f may be any map from the players' shape to any output shape (elementwise GELU, a whole network).
// Truncation at order k: Σ_{|S|≤k} Δ_S needs f only at |T| ≤ k, with weights that depend on |T| = t alone:
//     Σ_{|S|≤k} Δ_S = Σ_{|T|≤k} ω_{n,k}(t) f(x_T),  ω_{n,k}(t) = Σ_{j=0}^{k−t} (−1)^j C(n−t, j) = (−1)^{k−t} C(n−t−1, k−t)
// (t < n; ω = 1 for t = n ≤ k), i.e. Σ_{t≤k} C(n, t) evaluations of f (130 of 512 for n = 9, k = 3).
// The terms themselves: f at every |T| ≤ k, then the fast Möbius transform restricted to that down-set:
//     for each player i, for each mask ∋ i:  v[mask] −= v[mask ∖ i]      (n·2^{n−1} subtractions for the full cube).
import Foundation

/// What was wrong with a decomposition request.
public enum DecompositionError: Error, CustomStringConvertible, Equatable, Sendable {
    case players(Int)
    case shapes(String)

    public var description: String {
        switch self {
        case .players(let n):
            return "an anchored decomposition needs 1…\(AnchoredDecomposition.maxPlayers) players (got \(n))"
        case .shapes(let what):
            return "anchored decomposition: \(what)"
        }
    }
}

public enum AnchoredDecomposition {
    /// 2^16 subsets at most.
    public static let maxPlayers = 16

    /// The subsets S ⊆ {0…n−1} with |S| ≤ k as bit masks, by increasing size, then by value.
    public static func subsets(players n: Int, maxOrder k: Int) -> [Int] {
        guard n >= 0, n <= maxPlayers else { return [] }
        let all = (0..<(1 << n)).filter { $0.nonzeroBitCount <= k }
        return all.sorted { ($0.nonzeroBitCount, $0) < ($1.nonzeroBitCount, $1) }
    }

    /// ω_{n,k}(t) for t = 0…min(k, n): Σ_{|S|≤k} Δ_S = Σ_{|T|≤k} ω(|T|) f(x_T).
    public static func truncationWeights(players n: Int, order k: Int) -> [Double] {
        let top = min(k, n)
        guard top >= 0 else { return [] }
        return (0...top).map { t in
            if t == n { return 1 }
            let sign: Double = (k - t) % 2 == 0 ? 1 : -1
            return sign * binomial(n - t - 1, k - t)                  // (−1)^{k−t} C(n−t−1, k−t)
        }
    }

    /// C(m, j) in Double (0 outside 0 ≤ j ≤ m).
    static func binomial(_ m: Int, _ j: Int) -> Double {
        guard j >= 0, j <= m else { return 0 }
        var c = 1.0
        for i in 0..<j { c = c * Double(m - i) / Double(i + 1) }
        return c.rounded()
    }

    /// x_T = A + Σ_{i∈T}(w_i − a_i).
    public static func point(players w: [[Double]], anchors a: [[Double]], subset mask: Int) -> [Double] {
        let count = w.first?.count ?? 0
        var x = [Double](repeating: 0, count: count)
        for i in a.indices { for e in 0..<count { x[e] += a[i][e] } }        // A = Σ a_i
        for i in w.indices where mask & (1 << i) != 0 {
            for e in 0..<count { x[e] += w[i][e] - a[i][e] }                  // + d_i
        }
        return x
    }

    /// Checks n players of equal shape and anchors of the same shape.
    static func check(_ w: [[Double]], _ a: [[Double]]) throws {
        guard (1...maxPlayers).contains(w.count) else { throw DecompositionError.players(w.count) }
        guard a.count == w.count else { throw DecompositionError.shapes("\(w.count) players but \(a.count) anchors") }
        let count = w[0].count
        guard w.allSatisfy({ $0.count == count }), a.allSatisfy({ $0.count == count }) else {
            throw DecompositionError.shapes("players and anchors must all have \(count) values")
        }
    }

    /// Δ_S for every |S| ≤ k (masks as in `subsets`), from f at every x_T with |T| ≤ k.
    public static func terms(players w: [[Double]], anchors a: [[Double]], maxOrder k: Int,
                             _ f: ([Double]) throws -> [Double]) throws -> (subsets: [Int], terms: [[Double]]) {
        try check(w, a)
        let masks = subsets(players: w.count, maxOrder: k)
        var values = try masks.map { try f(point(players: w, anchors: a, subset: $0)) }
        guard values.allSatisfy({ $0.count == values[0].count }) else { throw DecompositionError.shapes("f returned outputs of different sizes") }
        mobius(&values, masks: masks, players: w.count)
        return (masks, values)
    }

    /// Σ_{|S|≤k} Δ_S without forming the terms: Σ_{|T|≤k} ω(|T|) f(x_T).
    public static func truncation(players w: [[Double]], anchors a: [[Double]], order k: Int,
                                  _ f: ([Double]) throws -> [Double]) throws -> [Double] {
        try check(w, a)
        let weights = truncationWeights(players: w.count, order: k)
        var sum: [Double] = []
        for mask in subsets(players: w.count, maxOrder: k) where weights[mask.nonzeroBitCount] != 0 {
            let v = try f(point(players: w, anchors: a, subset: mask))
            if sum.isEmpty { sum = [Double](repeating: 0, count: v.count) }
            guard v.count == sum.count else { throw DecompositionError.shapes("f returned outputs of different sizes") }
            let c = weights[mask.nonzeroBitCount]
            for e in 0..<v.count { sum[e] += c * v[e] }
        }
        return sum
    }

    /// The same truncation for an elementwise f, element by element without intermediate arrays:
    /// x_T = x_{T∖{i}} + d_i (i = T's lowest player) over the masks in increasing order, f only where ω(|T|) ≠ 0
    /// (at k ≥ n that is T = all alone: f(Σ_i w_i), one evaluation of f per element).
    public static func elementwiseTruncation(players w: [[Double]], anchors a: [[Double]], order k: Int,
                                             _ f: (Double) -> Double) throws -> [Double] {
        try check(w, a)
        let n = w.count, count = w[0].count
        if k >= n { return (0..<count).map { e in f(w.reduce(0) { $0 + $1[e] }) } }   // only ω(n) = 1 is left: f(Σ w)
        let weights = truncationWeights(players: n, order: k)
        let masks = (1..<(1 << n)).filter { $0.nonzeroBitCount <= k }
        let lowest = masks.map { $0.trailingZeroBitCount }
        let evaluate = masks.map { weights[$0.nonzeroBitCount] != 0 }
        let w0 = weights[0]
        var x = [Double](repeating: 0, count: 1 << n), d = [Double](repeating: 0, count: n)
        var out = [Double](repeating: 0, count: count)
        for e in 0..<count {
            var base = 0.0
            for i in 0..<n { base += a[i][e]; d[i] = w[i][e] - a[i][e] }             // A, d_i
            x[0] = base
            var sum = w0 != 0 ? w0 * f(base) : 0
            for (j, m) in masks.enumerated() {
                let v = x[m & (m - 1)] + d[lowest[j]]                                // x_T = x_{T∖{i}} + d_i
                x[m] = v
                if evaluate[j] { sum += weights[m.nonzeroBitCount] * f(v) }
            }
            out[e] = sum
        }
        return out
    }

    /// Möbius inversion in place on a down-closed family of masks: v_S ← Σ_{T⊆S} (−1)^{|S|−|T|} v_T.
    public static func mobius(_ values: inout [[Double]], masks: [Int], players n: Int) {
        var position = [Int](repeating: -1, count: 1 << n)
        for (p, m) in masks.enumerated() { position[m] = p }
        for i in 0..<n {
            let bit = 1 << i
            for (p, m) in masks.enumerated() where m & bit != 0 {
                let q = position[m ^ bit]                                     // in the family (down-closed)
                for e in 0..<values[p].count { values[p][e] -= values[q][e] }
            }
        }
    }
}
