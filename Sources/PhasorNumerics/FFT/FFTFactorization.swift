// How a length n is split into the radices of the mixed-radix passes, or handed to Bluestein.
// n = r_1 · r_2 ⋯ r_m with r_i ∈ {4, 2, 3, 5, 7, 11, 13}; any prime factor above `largestDirectRadix` makes the
// direct passes cost O(n·p) per pass, so such lengths go through Bluestein's chirp-z (a power-of-two FFT of length
// ≥ 2n − 1) instead.

enum FFTFactorization {
    /// The largest prime handled by a direct (generic odd radix) pass.
    static let largestDirectRadix = 13

    /// The radices of n in pass order (4s first, then a 2, then odd primes), or nil if n has a prime factor
    /// above `largestDirectRadix`. n = 1 gives no passes.
    static func radices(of n: Int) -> [Int]? {
        precondition(n >= 1, "internal: radices(of:) needs n ≥ 1")
        var rest = n
        var result: [Int] = []
        while rest % 4 == 0 { result.append(4); rest /= 4 }
        if rest % 2 == 0 { result.append(2); rest /= 2 }
        var p = 3
        while rest > 1 && p <= largestDirectRadix {
            while rest % p == 0 { result.append(p); rest /= p }
            p += 2
        }
        return rest == 1 ? result : nil
    }

    /// The smallest power of two ≥ n.
    static func powerOfTwo(atLeast n: Int) -> Int {
        var m = 1
        while m < n { m <<= 1 }
        return m
    }
}
