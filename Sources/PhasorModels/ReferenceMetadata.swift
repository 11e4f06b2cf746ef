// A checkpoint's `__metadata__` as the model door reads it — the ONE place its keys are parsed. Two sources write it:
//   • Phasor and example.py users: "prenorm" (true/false, True/False, 1/0) and "discretization" (zoh | bilinear);
//   • the reference export recipes of Tests/Fixtures/architectures (docs/architectures-reference.md §1.2): "family"
//     (s5 | linoss | lru | s6), "block" (the skeleton), "discretization" (LinOSS: IM | IMEX), "norm" (batch | layer),
//     "norm_affine", "norm_eps", "gelu" (tanh | erf), "pooling" (mean | last), "activation" (full_glu, …), "prenorm".
// Shapes come from the tensors, switches from here; a file whose metadata contradicts the skeleton its tensors show
// (e.g. gelu "erf" in a LinOSS file, whose reference applies the tanh form) is refused rather than run with numbers
// that are not the reference's.
import Foundation

/// The metadata of a model file, with the readers of each key.
public struct ReferenceMetadata: Sendable {
    public static let prenormKey = "prenorm"
    public static let discretizationKey = "discretization"
    public static let familyKey = "family"
    public static let blockKey = "block"
    public static let normKey = "norm"
    public static let normAffineKey = "norm_affine"
    public static let normEpsilonKey = "norm_eps"
    public static let geluKey = "gelu"
    public static let poolingKey = "pooling"
    public static let activationKey = "activation"

    /// Every key a skeleton's configuration is written to (and read back from); other metadata is provenance.
    public static let structuralKeys: Set<String> = [prenormKey, discretizationKey, familyKey, blockKey, normKey,
                                                      normAffineKey, normEpsilonKey, geluKey, poolingKey, activationKey]

    public let values: [String: String]

    public init(_ values: [String: String]) { self.values = values }

    /// The trimmed value of `key`, nil when absent.
    public func string(_ key: String) -> String? {
        values[key].map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Throws when `key` is present with a value other than `expected` (`skeleton` names what the tensors show).
    func require(_ key: String, _ expected: String, skeleton: String) throws {
        guard let v = string(key), v.lowercased() != expected.lowercased() else { return }
        throw ModelError.invalidConfiguration("metadata \(key) = \"\(v)\" contradicts the tensors, which are \(skeleton) "
            + "(\(key) \"\(expected)\"); Phasor runs that reference block exactly and no variant of it")
    }

    /// The switches of a reference skeleton whose block is pre-norm, full GLU, mean pooling with a norm of ε 1e-5
    /// (the linoss-repo and log-ncde-mamba skeletons): the metadata its recipe writes, and what a file must not contradict.
    static func skeleton(family: String, block: String, norm: String, normAffine: Bool, gelu: GELUForm) -> [String: String] {
        [familyKey: family, blockKey: block, normKey: norm, normAffineKey: normAffine ? "true" : "false",
         normEpsilonKey: "1e-05", geluKey: gelu.rawValue, poolingKey: "mean", activationKey: "full_glu", prenormKey: "true"]
    }

    /// Throws when a stated switch differs from the skeleton's (`skeleton`: key → the value the reference always has;
    /// "prenorm" through `requirePrenorm`, "norm_eps" compared as a number). Absent keys are the skeleton's.
    func requireSkeleton(_ skeleton: [String: String], name: String, options: ModelLoadOptions) throws {
        for (key, expected) in skeleton.sorted(by: { $0.key < $1.key }) {
            switch key {
            case Self.prenormKey:
                try requirePrenorm(skeleton: name, options: options)
            case Self.normEpsilonKey:
                if let v = string(key), Double(v) != Double(expected) { try require(key, expected, skeleton: name) }
            default:
                try require(key, expected, skeleton: name)
            }
        }
    }

    /// Metadata "prenorm" against the stated placement: the metadata decides; a stated placement (--prenorm /
    /// --postnorm) that contradicts it is an ERROR (one of the two is wrong); without metadata a stated placement is
    /// used, and without either the model is read as post-norm (example.py's default) with a note.
    func normPlacement(options: ModelLoadOptions, notes: inout [String]) throws -> NormPlacement {
        var recorded: NormPlacement?
        if let text = values[Self.prenormKey] {
            switch text.trimmingCharacters(in: .whitespaces) {
            case "true", "True", "TRUE", "1": recorded = .pre
            case "false", "False", "FALSE", "0": recorded = .post
            default: throw ModelError.invalidConfiguration("metadata prenorm is '\(text)'; use true/false (or True/False, 1/0)")
            }
        }
        switch (recorded, options.normPlacement) {
        case let (r?, stated?) where r != stated:
            throw ModelError.invalidConfiguration("--\(stated == .pre ? "prenorm" : "postnorm") contradicts the checkpoint's "
                + "metadata prenorm = \(values[Self.prenormKey]!); drop the flag, or fix the metadata if it is wrong")
        case let (r?, _): return r
        case let (nil, stated?): return stated
        case (nil, nil):
            if options.normPlacementMatters {
                notes.append("assuming post-norm (example.py's default): the checkpoint has no 'prenorm' metadata; pass "
                    + "--prenorm if the model was trained with prenorm=True (or --postnorm to silence this note)")
            }
            return .post
        }
    }

    /// A skeleton whose norm is always before the core: metadata or options saying post-norm are an error.
    func requirePrenorm(skeleton: String, options: ModelLoadOptions) throws {
        var ignored: [String] = []
        let stated = try normPlacement(options: ModelLoadOptions(normPlacement: options.normPlacement,
                                                                 normPlacementMatters: false), notes: &ignored)
        if values[Self.prenormKey] != nil || options.normPlacement != nil, stated != .pre {
            throw ModelError.invalidConfiguration("the \(skeleton) block is pre-norm (x + f(norm(x))); "
                + (options.normPlacement == .post ? "drop --postnorm" : "the metadata says prenorm = \(values[Self.prenormKey] ?? "")"))
        }
    }

    /// Metadata "discretization" of an S4D model (zoh | bilinear; default zoh, s4d.py's).
    func s4dDiscretization() throws -> Discretization {
        guard let text = string(Self.discretizationKey) else { return .zoh }
        guard let d = Discretization(rawValue: text.lowercased()), d != .euler else {
            throw ModelError.invalidConfiguration("metadata discretization is '\(text)'; use \"zoh\" or \"bilinear\"")
        }
        return d
    }
}
