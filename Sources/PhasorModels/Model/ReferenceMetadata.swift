// THE one place where a checkpoint's block flags (`__metadata__`, docs/architectures-reference.md §1.2) are read
// and written — what the tensors cannot show:
//   family         s5 | lru | linoss | s6             (absent: an example.py S4D checkpoint, or told by the tensors)
//   block          s5-flax | minimal-lru | linoss-repo | log-ncde-mamba — in an example.py S4D checkpoint: its head,
//                  glu | bilinear
//   activation     full_glu | half_glu1 | half_glu2 | gelu     (half_glu1 vs half_glu2 cannot be told from tensors)
//   gelu           tanh | erf
//   norm           layer | batch | none (checked against the tensors, which show it)
//   norm_affine    true | false (the LinOSS repository's BatchNorm has no scale and bias)     norm_eps  e.g. 1e-06
//   prenorm        true | false (ModelFile's key)      pooling  mean | last
//   discretization zoh | bilinear (ModelFile's key); a LinOSS core's scheme IM | IMEX (no metadata: IM, with a note)
//   conj_sym, clip_eigs, bidirectional  true | false   step_rescale  a positive number          (S5)
//   key_rule, framework, output, C_init               provenance / informational (written back)
// A flag that contradicts the tensors is an error (one of the two is wrong); a missing flag the tensors cannot show
// takes the reference's default with a note. Booleans accept true/false, True/False, 1/0.

import Foundation

public enum ReferenceMetadata {
    public static let family = "family", block = "block", activation = "activation", gelu = "gelu", norm = "norm"
    public static let normAffine = "norm_affine", normEps = "norm_eps", pooling = "pooling", conjSym = "conj_sym"
    public static let clipEigs = "clip_eigs", bidirectional = "bidirectional", stepRescale = "step_rescale"
    public static let keyRule = "key_rule", framework = "framework", output = "output", cInit = "C_init"
    /// Flax's BatchNorm momentum μ_F (the decay: a new batch weighs 1 − μ_F; `S4ModelConfiguration.batchMomentum`).
    public static let bnMomentum = "bn_momentum"

    /// The keys written from a configuration (a loaded file's values of them are not kept as extra metadata).
    static let owned = [family, block, activation, gelu, norm, normAffine, normEps, pooling, conjSym, clipEigs,
                        bidirectional, stepRescale, keyRule, framework, output, cInit, bnMomentum]

    static func bool(_ metadata: [String: String], _ key: String) throws -> Bool? {
        guard let text = metadata[key] else { return nil }
        switch text.trimmingCharacters(in: .whitespaces) {
        case "true", "True", "TRUE", "1": return true
        case "false", "False", "FALSE", "0": return false
        default: throw ModelError.invalidConfiguration("metadata \(key) is '\(text)'; use true/false (or True/False, 1/0)")
        }
    }

    static func choice<T: RawRepresentable & CaseIterable>(_ metadata: [String: String], _ key: String, _: T.Type) throws -> T?
        where T.RawValue == String {
        guard let text = metadata[key] else { return nil }
        guard let v = T(rawValue: text.trimmingCharacters(in: .whitespaces)) else {
            throw ModelError.invalidConfiguration("metadata \(key) is '\(text)'; use one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return v
    }

    static func number(_ metadata: [String: String], _ key: String) throws -> Double? {
        guard let text = metadata[key] else { return nil }
        guard let v = Double(text.trimmingCharacters(in: .whitespaces)), v > 0, v.isFinite else {
            throw ModelError.invalidConfiguration("metadata \(key) is '\(text)'; expected a positive number")
        }
        return v
    }

    /// The core and skeleton of a key set: from the tensors, checked against metadata family/block; nil when the
    /// keys are example.py's (or nobody's) and the metadata names no family.
    static func kinds(_ metadata: [String: String], keys: Set<String>) throws -> (core: CoreKind, skeleton: ReferenceSkeleton)? {
        var statedSkeleton: ReferenceSkeleton?
        if let text = metadata[block]?.trimmingCharacters(in: .whitespaces), HeadKind(rawValue: text.lowercased()) == nil {
            guard let sk = ReferenceSkeleton(rawValue: text) else {
                throw ModelError.invalidConfiguration("metadata block is '\(text)'; use a head (glu, bilinear) for an example.py "
                    + "model or a reference skeleton (\(ReferenceSkeleton.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            statedSkeleton = sk
        }
        // "linoss" is the family of both LinOSS kinds (IM or IMEX comes from "discretization", `apply`)
        let familyCore = metadata[family]?.trimmingCharacters(in: .whitespaces) == CoreKind.linossIM.family
            ? CoreKind.linossIM : try choice(metadata, family, CoreKind.self)
        let stated = (familyCore, statedSkeleton)
        guard let found = ReferenceLayout.kinds(keys) else {
            if let f = stated.0, f != .s4d {
                throw ModelError.invalidConfiguration("metadata family = \(f.rawValue)\(stated.1.map { ", block = \($0.rawValue)" } ?? ""), "
                    + "but the tensors are not that reference's classifier (e.g. no '\(marker(f))' in block 0)")
            }
            return nil
        }
        if let f = stated.0, f != found.core {
            throw ModelError.invalidConfiguration("metadata family = \(f.family) contradicts the tensors, which hold the \(found.core.family) core")
        }
        if let b = stated.1, b != found.skeleton {
            throw ModelError.invalidConfiguration("metadata block = \(b.rawValue) contradicts the tensors, which are named as \(found.skeleton.rawValue)'s")
        }
        return found
    }

    /// The tensor that marks a core of this kind in block 0.
    static func marker(_ core: CoreKind) -> String {
        switch core {
        case .s5: return S5Layout.marker
        case .lru: return LRULayout.marker
        case .linossIM, .linossIMEX: return LinOSSLayout.marker
        case .s6: return S6Layout.marker
        case .s4d: return S4ModelKeys.block(0).aImag
        }
    }

    /// Sets on `c` (read from the tensors) the switches only the metadata holds; `activationShown` says whether the
    /// tensors decided the activation, `s5Modes` is an S5 core's stored mode count.
    static func apply(_ m: [String: String], to c: inout S4ModelConfiguration, activationShown: Bool, s5Modes: Int?,
                      notes: inout [String]) throws {
        let sk = c.skeleton
        if let text = m[activation] {
            guard let a = HeadKind(s5Name: text.trimmingCharacters(in: .whitespaces)) else {
                throw ModelError.invalidConfiguration("metadata activation is '\(text)'; use full_glu, half_glu1, half_glu2 or gelu")
            }
            let tensorsSay = c.head
            let agree = activationShown ? a == tensorsSay : (a == .halfGLU1 || a == .halfGLU2)
            guard agree else {
                throw ModelError.invalidConfiguration("metadata activation = \(a.s5Name) contradicts the tensors (they hold "
                    + (tensorsSay == .glu ? "both GLU maps: full_glu" : tensorsSay == .gelu ? "no GLU maps: gelu" : "only the gate's map: half_glu1 or half_glu2") + ")")
            }
            c.head = a
        } else if !activationShown {
            notes.append("assuming half_glu1 (lindermanlab/S5's default): the tensors cannot tell half_glu1 from half_glu2 and the checkpoint has no 'activation' metadata")
        }
        c.gelu = try choice(m, gelu, GELUForm.self) ?? sk.gelu
        if c.core.linossScheme != nil {                                     // IM or IMEX: only the metadata says
            if let text = m[ModelFile.discretizationKey] {
                guard let scheme = LinOSSScheme(rawValue: text.trimmingCharacters(in: .whitespaces).uppercased()) else {
                    throw ModelError.invalidConfiguration("metadata discretization is '\(text)'; a LinOSS model's is \"IM\" or \"IMEX\"")
                }
                c.core = .linoss(scheme)
            } else {
                notes.append("assuming LinOSS-IM: the checkpoint has no 'discretization' metadata (IM or IMEX); the tensors "
                    + "cannot tell — add \"discretization\": \"IMEX\" to the metadata for an IMEX model")
            }
        }
        if let k = try choice(m, norm, NormKind.self), k != c.norm {
            throw ModelError.invalidConfiguration("metadata norm = \(k.rawValue) contradicts the tensors (a \(c.norm.rawValue) norm)")
        }
        let affine = c.norm == .layer || sk.batchNormAffine
        if let v = try bool(m, normAffine), v != affine {
            throw ModelError.invalidConfiguration("metadata norm_affine = \(v) contradicts the tensors (the \(sk.rawValue) "
                + "\(c.norm == .layer ? "LayerNorm" : "BatchNorm") has \(affine ? "a scale and a bias" : "no scale or bias"))")
        }
        if c.norm == .batch {
            if sk.isFlax, let v = try number(m, bnMomentum) {
                guard v < 1 else { throw ModelError.invalidConfiguration("metadata bn_momentum = \(v); Flax's momentum is below 1") }
                c.batchMomentum = Double(String(format: "%.12g", 1 - v))!   // 1 − 0.95 read back as 0.05, not 0.05000000000000004
            }
            if let v = try number(m, normEps), v != BatchNorm.epsilon {
                throw ModelError.invalidConfiguration("metadata norm_eps = \(v): Phasor's BatchNorm has ε = \(BatchNorm.epsilon), as every reference's")
            }
        } else {
            c.normEpsilon = try number(m, normEps) ?? c.normEpsilon
        }
        if let p = try choice(m, pooling, Pooling.self) {
            c.pooling = p
        } else if sk.poolings.count > 1 {
            notes.append("assuming mean pooling (the reference's default): the checkpoint has no 'pooling' metadata")
        }
        if c.core == .s5, let modes = s5Modes {
            if let v = try bool(m, conjSym) { c.s5.conjugateSymmetric = v } else {
                notes.append("assuming conj_sym = true (the reference's default): the checkpoint has no 'conj_sym' metadata")
            }
            c.dState = c.s5.conjugateSymmetric ? 2 * modes : modes
            let defaultClip = sk == .linossRepo
            if let v = try bool(m, clipEigs) { c.s5.clipEigenvalues = v } else {
                c.s5.clipEigenvalues = defaultClip
                notes.append("assuming clip_eigs = \(defaultClip) (the reference's default): the checkpoint has no 'clip_eigs' metadata")
            }
            if let v = try bool(m, bidirectional), v != c.s5.bidirectional {
                throw ModelError.invalidConfiguration("metadata bidirectional = \(v) contradicts the tensors ("
                    + (c.s5.bidirectional ? "C1/C2 or a C of width 2P: bidirectional" : "one C of width P: causal") + ")")
            }
            if let v = try number(m, stepRescale) { c.s5.stepRescale = v }
            if let v = try choice(m, cInit, S5CInit.self), !(c.s5.bidirectional && c.s5.cInit == .complexNormal) { c.s5.cInit = v }
        }
    }

    /// An example.py model's metadata "block" (its head; default glu) and "norm" (checked against the tensors).
    static func applyStateSpaces(_ m: [String: String], to c: inout S4ModelConfiguration) throws {
        if let text = m[block] {
            guard let kind = HeadKind(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()), kind == .glu || kind == .bilinear else {
                throw ModelError.invalidConfiguration("metadata block is '\(text)'; an example.py model's is \"glu\" or \"bilinear\"")
            }
            c.head = kind
        }
        guard let text = m[norm] else { return }
        guard let stated = NormKind(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw ModelError.invalidConfiguration("metadata norm is '\(text)'; use \"layer\", \"batch\" or \"none\"")
        }
        guard stated == c.norm else {
            let shown: String
            switch c.norm {
            case .layer: shown = "LayerNorms (norms.{i}.weight and bias, no running statistics)"
            case .batch: shown = "BatchNorms (norms.{i}.running_mean …)"
            case .none: shown = "no norms (no norms.{i} keys)"
            }
            throw ModelError.invalidConfiguration("metadata norm = \(text) but the tensors hold \(shown); fix the metadata or the file")
        }
    }

    /// The metadata of a configuration (with ModelFile's prenorm and discretization).
    static func write(_ c: S4ModelConfiguration) -> [String: String] {
        guard c.skeleton != .stateSpaces else { return [block: c.head.rawValue, norm: c.norm.rawValue] }
        let affine = c.norm == .layer || c.skeleton.batchNormAffine
        var m = [family: c.core.family, block: c.skeleton.rawValue, activation: c.head.s5Name,
                 gelu: c.gelu.rawValue, norm: c.norm.rawValue, normAffine: "\(affine)",
                 normEps: c.norm == .batch ? "\(BatchNorm.epsilon)" : "\(c.normEpsilon)",
                 pooling: c.pooling.rawValue,
                 keyRule: c.skeleton.isFlax ? "flax-flatten-dot" : (c.skeleton.isTorch ? "torch-state-dict" : "equinox-path"),
                 framework: c.skeleton.isFlax ? "flax" : (c.skeleton.isTorch ? "torch" : "equinox"),
                 output: c.skeleton.isFlax ? "log_softmax" : "softmax"]
        if c.norm == .batch, c.skeleton.isFlax { m[bnMomentum] = "\(1 - c.batchMomentum)" }
        if c.core == .s5 {
            m[conjSym] = "\(c.s5.conjugateSymmetric)"; m[clipEigs] = "\(c.s5.clipEigenvalues)"
            m[bidirectional] = "\(c.s5.bidirectional)"; m[stepRescale] = "\(c.s5.stepRescale)"; m[cInit] = c.s5.cInit.rawValue
        }
        return m
    }
}
