import PhasorData

// Token ids from an .npy file for the Mamba commands: integer ids of shape (L) or (B, L) (int64 as NumPy writes them;
// other integer-valued arrays are accepted when every entry is an exact integer). The range check against the
// vocabulary is the model's (MambaError.tokenOutOfRange).

enum MambaTokensFile {
    /// (ids row-major, B, L); a 1-D array is one sequence.
    static func read(_ path: String) throws -> (ids: [Int], batch: Int, length: Int) {
        let array = try NpyArray(contentsOf: path)
        let (b, l): (Int, Int)
        switch array.shape.count {
        case 1: (b, l) = (1, array.shape[0])
        case 2: (b, l) = (array.shape[0], array.shape[1])
        default: throw CLIError("tokens \(path) have shape \(array.shape); expected (L) or (B, L) token ids")
        }
        guard b > 0, l > 0 else { throw CLIError("tokens \(path) have shape \(array.shape); B and L must be positive") }
        let ids: [Int64]
        do { ids = try array.asInt64() } catch {
            throw CLIError("tokens \(path) must be integer token ids (int64): \(error)")
        }
        return (ids.map { Int(clamping: $0) }, b, l)
    }
}
