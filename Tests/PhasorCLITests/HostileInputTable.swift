import Foundation
import Testing

// The bad-input table's second part (issue 14, "what a hostile user still breaks"): one row per case of each class —
// absurd sizes and overflowing numbers, work without end, numbers that are not numbers, resume states that do not
// belong to the run, outputs that name inputs or each other, files left behind, misleading messages — and the
// neighbours of each (other size options, other float options, other commands' outputs). The rows run through
// `BadInputTableTests.failsWithOneLine` like the first part: non-zero exit, ONE line on stderr holding the fragment
// (and no `Code=`/`Fatal error`), the folder unchanged afterwards. Sizes that must be refused are absurd (terabytes),
// so the rows hold on any machine; PHASOR_MEMORY_LIMIT / PHASOR_WORK_LIMIT rows test the limits' wiring with small
// jobs. docs/reliability.md lists them with the mechanism that refuses each.

extension BadFiles {
    /// The small two-class CSV (`BadFiles.csv`, 6 rows of 4 steps) as d.csv.
    static func data(_ dir: URL, _ name: String = "d.csv") throws -> String { try write(csv, dir, name) }

    /// `phasor train --data d.csv --out m.safetensors` in `dir` with more options.
    static func train(_ dir: URL, _ options: [String]) throws -> [String] {
        ["train", "--data", try data(dir), "--out", path(dir, "m.safetensors")] + options
    }

    /// A tiny model's options (H = 2, N = 2, one layer) for training rows.
    /// One validation split (`--folds 0`): the rows are about a single run and its resume state.
    static let tiny = ["--layers", "1", "--d-model", "2", "--d-state", "2", "--batch", "2", "--seed", "1", "--folds", "0"]

    /// `phasor train` on d.csv for `epochs` epochs into m.safetensors (and its resume state); the training arguments.
    static func trained(_ dir: URL, epochs: Int = 1) throws -> [String] {
        let arguments = ["train", "--data", try data(dir), "--out", path(dir, "m.safetensors"), "--epochs", "\(epochs)"] + tiny
        let r = try CLI.run(arguments)
        guard r.status == 0 else { throw SetupError("training for the row failed: \(r.stderr)") }
        return arguments
    }

    /// Rewrites a safetensors file: its header (tensor entries and `__metadata__`) through `edit`, and the F64 values
    /// of the tensors whose names `scale` selects multiplied by the factor it returns.
    static func rewrite(_ path: String, metadata edit: (inout [String: Any]) throws -> Void = { _ in },
                        scale: (String) -> Double? = { _ in nil }) throws {
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        let n = Int(bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        guard var header = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + n)])) as? [String: Any] else {
            throw SetupError("\(path) has no JSON header")
        }
        var payload = Array(bytes[(8 + n)...])
        for (name, entry) in header where name != "__metadata__" {
            guard let factor = scale(name), let e = entry as? [String: Any], let offsets = e["data_offsets"] as? [Int] else { continue }
            for at in stride(from: offsets[0], to: offsets[1], by: 8) {
                let bits = payload[at..<(at + 8)].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
                let scaled = (Double(bitPattern: bits) * factor).bitPattern
                for k in 0..<8 { payload[at + k] = UInt8(truncatingIfNeeded: scaled >> (8 * UInt64(k))) }
            }
        }
        var metadata = header["__metadata__"] as? [String: Any] ?? [:]
        try edit(&metadata)
        header["__metadata__"] = metadata
        var json = try Array(JSONSerialization.data(withJSONObject: header))
        while json.count % 8 != 0 { json.append(0x20) }
        let length = withUnsafeBytes(of: UInt64(json.count).littleEndian) { Array($0) }
        try Data(length + json + payload).write(to: URL(fileURLWithPath: path))
    }

    /// A run folder tracked by `phasor train --track` (every step recorded); its path.
    static func trainedRun(_ dir: URL) throws -> String {
        let run = path(dir, "run")
        let r = try CLI.run(["train", "--data", try data(dir), "--out", path(dir, "m.safetensors"), "--epochs", "2",
                             "--track", run, "--track-every", "1"] + tiny)
        guard r.status == 0 else { throw SetupError("tracked training for the row failed: \(r.stderr)") }
        return run
    }

    /// Edits the JSON of a resume state's `phasor.state` metadata.
    static func editState(_ dir: URL, _ edit: @escaping (inout [String: Any]) -> Void) throws {
        try rewrite(path(dir, "m.resume.safetensors"), metadata: { metadata in
            guard let text = metadata["phasor.state"] as? String,
                  var state = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                throw SetupError("no phasor.state in the resume file")
            }
            edit(&state)
            metadata["phasor.state"] = String(decoding: try JSONSerialization.data(withJSONObject: state), as: UTF8.self)
        })
    }

    /// The bytes of `path`, for `after` checks that a file was restored exactly.
    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// A checkpoint with the given `input_mean`/`input_std` metadata (the full model of `checkpoint`).
    static func standardisedCheckpoint(_ dir: URL, std: String) throws -> String {
        let model = try checkpoint(dir)
        try rewrite(model, metadata: { $0["input_mean"] = "[0]"; $0["input_std"] = std })
        return model
    }

    static let kuramotoFiles: @Sendable (URL) throws -> [String] = { dir in
        ["--omega", try npy(dir, "w.npy", shape: [2], values: [1, 2]),
         "--adjacency", try npy(dir, "a.npy", shape: [2, 2], values: [0, 1, 1, 0]),
         "--theta0", try npy(dir, "t.npy", shape: [2], values: [0, 0])]
    }
}

/// Requires `path` to hold exactly the bytes it held when `copy` was made (a restored original).
func requireSameBytes(_ path: String, as copy: String) throws {
    guard try BadFiles.bytes(path) == BadFiles.bytes(copy) else { throw SetupError("\(path) was not restored") }
}

enum HostileTable {
    static let memory = ["PHASOR_MEMORY_LIMIT": "1K"]

    static let rows: [BadInputCase] = [
        // ── 1a. absurd sizes: refused against the one memory estimate, before anything is allocated ──────────────
        BadInputCase("train --d-model 10⁶", "more than the limit") { dir in
            try BadFiles.train(dir, ["--d-model", "1000000"])
        },
        BadInputCase("train --d-state 4·10⁹", "of memory (weights") { dir in
            try BadFiles.train(dir, ["--d-state", "4000000000"])
        },
        BadInputCase("train --layers 10⁸ (was 55 s of work, then a trap)", "train would need about") { dir in
            try BadFiles.train(dir, ["--layers", "100000000"])
        },
        BadInputCase("train --d-model 2⁶² (H² overflows Int)", "more than the limit") { dir in
            try BadFiles.train(dir, ["--d-model", "4611686018427387904"])
        },
        BadInputCase("bench s4d --length 10⁷", "bench s4d would need") { _ in ["bench", "s4d", "--length", "10000000"] },
        BadInputCase("bench s4d --state 10⁹", "of memory") { _ in ["bench", "s4d", "--state", "1000000000"] },
        BadInputCase("bench s4d --batch 2⁶² (B·H·L overflows Int)", "of memory") { _ in ["bench", "s4d", "--batch", "4611686018427387904"] },
        BadInputCase("bench s4d --channels 10⁷", "of memory") { _ in ["bench", "s4d", "--channels", "10000000"] },
        BadInputCase("bench s4d --model-layers 10⁹", "of memory") { _ in ["bench", "s4d", "--model-layers", "1000000000"] },
        BadInputCase("analyze --memory-lags 10¹⁰", "analyze would need") { dir in
            ["analyze", "--model", try BadFiles.checkpoint(dir), "--memory-lags", "10000000000"]
        },
        BadInputCase("network --method perturbative --order 64 on 1000 oscillators (a 65 000 × 65 000 generator)", "--order") { dir in
            ["network", "--jacobian", try BadFiles.npy(dir, "j.npy", shape: [1000, 1000], values: (0..<1_000_000).map { $0 % 1001 == 0 ? -1 : 0 }),
             "--z0", try BadFiles.npy(dir, "z.npy", shape: [1000], values: Array(repeating: 1, count: 1000)),
             "--times", "1", "--method", "perturbative", "--order", "64"]
        },
        BadInputCase("PHASOR_MEMORY_LIMIT=1K: train of a tiny model", "PHASOR_MEMORY_LIMIT=1K", environment: memory) { dir in
            try BadFiles.train(dir, []) + BadFiles.tiny
        },
        BadInputCase("PHASOR_MEMORY_LIMIT=1K: eval", "eval would need", environment: memory) { dir in
            ["eval", "--model", try BadFiles.checkpoint(dir), "--data", try BadFiles.data(dir)]
        },
        BadInputCase("PHASOR_MEMORY_LIMIT=1K: predict (the sizes come from the input × the model)", "predict would need", environment: memory) { dir in
            ["predict", "--model", try BadFiles.checkpoint(dir), "--input", try BadFiles.npy(dir, shape: [1, 3, 1], values: [0, 1, 2]),
             "--output", BadFiles.path(dir, "y.npy")]
        },
        BadInputCase("PHASOR_MEMORY_LIMIT=1K: ring (the input's length × the ring's nodes)", "ring would need", environment: memory) { dir in
            ["ring", "--model", try BadFiles.checkpoint(dir), "--input", try BadFiles.npy(dir, shape: [64, 1], values: (0..<64).map(Double.init))]
        },
        BadInputCase("PHASOR_MEMORY_LIMIT=1K: ring --layer-input", "ring would need", environment: memory) { dir in
            ["ring", "--layer-input", "--model", try BadFiles.s4d(dir), "--input", try BadFiles.npy(dir, shape: [64], values: (0..<64).map(Double.init))]
        },
        BadInputCase("PHASOR_MEMORY_LIMIT=1K: operator", "operator would need", environment: memory) { dir in
            ["operator", "--model", try BadFiles.checkpoint(dir), "--data", try BadFiles.data(dir)]
        },
        BadInputCase("PHASOR_MEMORY_LIMIT=1K: analyze", "analyze would need", environment: memory) { dir in
            ["analyze", "--model", try BadFiles.checkpoint(dir)]
        },
        BadInputCase("PHASOR_MEMORY_LIMIT that is not a size", "PHASOR_MEMORY_LIMIT=lots is not a limit", environment: ["PHASOR_MEMORY_LIMIT": "lots"]) { dir in
            ["eval", "--model", try BadFiles.checkpoint(dir), "--data", try BadFiles.data(dir)]
        },
        BadInputCase("bench s4d --state 3 (an odd state size)", "even") { _ in ["bench", "s4d", "--state", "3"] },
        BadInputCase("bench s4d --precision f16", "f64 or f32") { _ in ["bench", "s4d", "--precision", "f16"] },
        BadInputCase("operator --max-order 0", "outside 1…25") { dir in
            ["operator", "--model", try BadFiles.checkpoint(dir), "--data", try BadFiles.data(dir), "--max-order", "0"]
        },
        BadInputCase("operator --degree 65", "too high") { dir in
            ["operator", "--model", try BadFiles.checkpoint(dir), "--data", try BadFiles.data(dir), "--formulation", "chebyshev", "--degree", "65"]
        },
        BadInputCase("network --method perturbative --order 65", "out of range") { dir in
            ["network", "--jacobian", try BadFiles.npy(dir, "j.npy", shape: [2, 2], values: [-1, 0.1, 0, -1]),
             "--z0", try BadFiles.npy(dir, "z.npy", shape: [2], values: [1, 0]), "--times", "1", "--method", "perturbative", "--order", "65"]
        },
        BadInputCase("analyze --rademacher-draws 1", "at least 2") { dir in
            ["analyze", "--model", try BadFiles.checkpoint(dir), "--data", try BadFiles.data(dir), "--rademacher-draws", "1"]
        },
        BadInputCase("eval --threads 0", "threads in 1…64") { dir in
            ["eval", "--model", try BadFiles.checkpoint(dir), "--data", try BadFiles.data(dir), "--threads", "0"]
        },
        // ── 1b. integer overflow and Double → Int on user numbers: checked arithmetic ────────────────────────────
        BadInputCase("train --epochs 2⁶² (batches × epochs overflows)", "optimiser steps") { dir in
            try BadFiles.train(dir, ["--epochs", "4611686018427387904"]) + BadFiles.tiny
        },
        BadInputCase("train --epochs Int.max --batch 1", "give fewer epochs") { dir in
            try BadFiles.train(dir, ["--epochs", "9223372036854775807",
             "--layers", "1", "--d-model", "2", "--d-state", "2", "--batch", "1"])
        },
        BadInputCase("kuramoto --method iterative --step 1e-10 --times 0,1e10 (10²⁰ steps, was a Double → Int trap)", "renormalisation steps") { dir in
            ["kuramoto"] + (try BadFiles.kuramotoFiles(dir)) + ["--coupling", "1", "--times", "0,1e10", "--method", "iterative", "--step", "1e-10"]
        },
        BadInputCase("kuramoto --method iterative --times 0,1e300 --step 1e-300", "--method complex") { dir in
            ["kuramoto"] + (try BadFiles.kuramotoFiles(dir)) + ["--coupling", "1", "--times", "0,1e300", "--method", "iterative", "--step", "1e-300"]
        },
        // ── 2. work without end: refused with the estimated cost (a job without progress output) ────────────────
        BadInputCase("kuramoto --method iterative with 10¹² steps", "arithmetic operations without progress output") { dir in
            ["kuramoto"] + (try BadFiles.kuramotoFiles(dir)) + ["--coupling", "1", "--times", "0,1e12", "--method", "iterative", "--step", "1"]
        },
        BadInputCase("analyze --kernel-length 10⁹", "--kernel-length") { dir in
            ["analyze", "--model", try BadFiles.checkpoint(dir), "--kernel-length", "1000000000"]
        },
        BadInputCase("analyze --rademacher-draws 10¹²", "--rademacher-draws") { dir in
            ["analyze", "--model", try BadFiles.checkpoint(dir), "--data", try BadFiles.data(dir), "--rademacher-draws", "1000000000000"]
        },
        BadInputCase("analyze --pac-draws 10⁹ (each draw is a pass over the data)", "arithmetic operations") { dir in
            ["analyze", "--model", try BadFiles.checkpoint(dir), "--data", try BadFiles.data(dir), "--init-seed", "0", "--pac-draws", "1000000000"]
        },
        BadInputCase("design --system-out with 3000 targets (a dense 6001 × 6001 exponential)", "give fewer targets") { dir in
            ["design", "--periods", (0..<3000).map { "\(10 + $0)" }.joined(separator: ","),
             "--memories", Array(repeating: "50", count: 3000).joined(separator: ","), "--system-out", BadFiles.path(dir, "s.safetensors")]
        },
        BadInputCase("bench s4d --repeats 10¹²", "--repeats") { _ in
            ["bench", "s4d", "--channels", "2", "--state", "2", "--length", "8", "--batch", "1", "--repeats", "1000000000000"]
        },
        BadInputCase("PHASOR_WORK_LIMIT=1000: analyze of a tiny model", "PHASOR_WORK_LIMIT=1000", environment: ["PHASOR_WORK_LIMIT": "1000"]) { dir in
            ["analyze", "--model", try BadFiles.checkpoint(dir)]
        },
        // ── 3a. numbers that are not numbers, and negative numbers: one check for every option ─────────────────
        BadInputCase("train --ssm-lr nan (was 10× the default: min(lr, NaN))", "--ssm-lr nan is not a finite number") { dir in
            try BadFiles.train(dir, ["--ssm-lr", "nan"])
        },
        BadInputCase("train --lr inf", "--lr inf is not a finite number") { dir in
            try BadFiles.train(dir, ["--lr", "inf"])
        },
        BadInputCase("train --lr 1e999 (parses as ∞)", "--lr inf") { dir in
            try BadFiles.train(dir, ["--lr", "1e999"])
        },
        BadInputCase("train --dropout nan", "--dropout nan") { dir in
            try BadFiles.train(dir, ["--dropout", "nan"])
        },
        BadInputCase("train --clip nan", "--clip nan") { dir in
            try BadFiles.train(dir, ["--clip", "nan"])
        },
        BadInputCase("train --warmup -inf", "--warmup -inf is not a finite number") { dir in
            try BadFiles.train(dir, ["--warmup", "-inf"])
        },
        BadInputCase("train --test-fraction nan", "--test-fraction nan") { dir in
            try BadFiles.train(dir, ["--test-fraction", "nan"])
        },
        BadInputCase("eval --test-fraction inf", "--test-fraction inf") { dir in
            ["eval", "--model", try BadFiles.checkpoint(dir), "--data", try BadFiles.data(dir), "--test-fraction", "inf"]
        },
        BadInputCase("design --dt nan", "--dt nan") { _ in ["design", "--periods", "10", "--memories", "50", "--dt", "nan"] },
        BadInputCase("operator --floor nan", "--floor nan") { dir in
            ["operator", "--model", try BadFiles.checkpoint(dir), "--data", try BadFiles.data(dir), "--floor", "nan"]
        },
        BadInputCase("operator --ridge inf", "--ridge inf") { dir in
            ["operator", "--model", try BadFiles.checkpoint(dir), "--data", try BadFiles.data(dir), "--ridge", "inf"]
        },
        BadInputCase("analyze --delta nan", "--delta nan") { dir in ["analyze", "--model", try BadFiles.checkpoint(dir), "--delta", "nan"] },
        BadInputCase("network --rtol nan", "--rtol nan") { dir in
            ["network", "--jacobian", try BadFiles.npy(dir, "j.npy", shape: [2, 2], values: [-1, 0, 0, -1]),
             "--z0", try BadFiles.npy(dir, "z.npy", shape: [2], values: [1, 0]), "--times", "1", "--method", "numeric", "--rtol", "nan"]
        },
        BadInputCase("kuramoto --coupling inf", "--coupling inf") { dir in
            ["kuramoto"] + (try BadFiles.kuramotoFiles(dir)) + ["--coupling", "inf", "--times", "1"]
        },
        BadInputCase("kuramoto --step nan", "--step nan") { dir in
            ["kuramoto"] + (try BadFiles.kuramotoFiles(dir)) + ["--coupling", "1", "--times", "1", "--method", "iterative", "--step", "nan"]
        },
        BadInputCase("oscillator --gamma -inf (a negative non-number)", "--gamma -inf is not a finite number") { _ in
            ["oscillator", "--omega", "1", "--gamma", "-inf", "--z0", "1,0", "--times", "1"]
        },
        BadInputCase("train --epochs -5 (was \"Missing value for '--epochs <epochs>'\")", "--epochs -5 is negative") { dir in
            try BadFiles.train(dir, ["--epochs", "-5"])
        },
        BadInputCase("train --weight-decay -0.5 (a negative float reaches its own check)", "weight decay must be ≥ 0 (got -0.5)") { dir in
            try BadFiles.train(dir, ["--weight-decay", "-0.5"])
        },
        BadInputCase("train --seed -1", "'-1' is invalid for '--seed") { dir in
            try BadFiles.train(dir, ["--seed", "-1"])
        },
        BadInputCase("design --layer -1 (wrote s4_layers.-1.*)", "--layer -1 is negative") { dir in
            ["design", "--periods", "10", "--memories", "50", "--layer", "-1", "--out", BadFiles.path(dir, "x.safetensors")]
        },
        BadInputCase("map --layer -1", "--layer -1 is negative") { dir in ["map", "--model", try BadFiles.s4d(dir), "--layer", "-1"] },
        BadInputCase("ring --sample -1", "--sample -1 is negative") { dir in
            ["ring", "--layer-input", "--model", try BadFiles.s4d(dir), "--sample", "-1", "--input", try BadFiles.npy(dir, shape: [4], values: [1, 2, 3, 4])]
        },
        BadInputCase("eval --batch -3 (quietly used batches of 1)", "--batch -3 is negative") { dir in
            ["eval", "--model", try BadFiles.checkpoint(dir), "--data", try BadFiles.data(dir), "--batch", "-3"]
        },
        BadInputCase("eval --batch 0", "batch size must be ≥ 1") { dir in
            ["eval", "--model", try BadFiles.checkpoint(dir), "--data", try BadFiles.data(dir), "--batch", "0"]
        },
        BadInputCase("dynamics --top -1 (quietly listed nothing)", "--top -1 is negative") { dir in
            ["dynamics", "--run", dir.path, "--top", "-1"]
        },
        BadInputCase("analyze --max-lag -1", "--max-lag -1 is negative") { dir in
            ["analyze", "--model", try BadFiles.checkpoint(dir), "--max-lag", "-1"]
        },
        BadInputCase("operator --samples -5 (quietly meant all)", "--samples -5 is negative") { dir in
            ["operator", "--model", try BadFiles.checkpoint(dir), "--data", try BadFiles.data(dir), "--samples", "-5"]
        },
        // ── 3b. resume states that do not belong to the run: validated, compared, then built ────────────────────
        BadInputCase("--resume with another --data (continued on the new data)", "the training data") { dir in
            var arguments = try BadFiles.trained(dir)
            arguments[2] = try BadFiles.write("1,2,3,4,a\n2,3,4,5,b\n1,2,3,3,a\n2,3,4,6,b\n1,2,3,1,a\n2,3,4,9,b\n", dir, "e.csv")
            return arguments + ["--resume"]
        },
        BadInputCase("--resume with another --label-column reading the same file", "the training data") { dir in
            let text = "a,1,2,3\nb,2,3,4\na,1,2,2\nb,2,3,5\na,1,2,0\nb,2,3,1\n"
            let data = try BadFiles.write(text, dir, "first.csv")
            let out = BadFiles.path(dir, "m.safetensors")
            let first = try CLI.run(["train", "--data", data, "--out", out, "--epochs", "2", "--label-column", "first"] + BadFiles.tiny)
            guard first.status == 0 else { throw SetupError(first.stderr) }
            return ["train", "--data", data, "--out", out, "--epochs", "2", "--test-fraction", "0.5", "--label-column", "first", "--resume"] + BadFiles.tiny
        },
        BadInputCase("--resume with another --lr", "learningRate: 0.01 in the state, 0.02 now") { dir in
            try BadFiles.trained(dir) + ["--resume", "--lr", "0.02"]
        },
        BadInputCase("--resume with other model sizes", "--d-model 3 (the run has 2)") { dir in
            try BadFiles.trained(dir) + ["--resume", "--d-model", "3"]
        },
        BadInputCase("--resume state with completedEpochs −5", "completed epochs -5") { dir in
            let arguments = try BadFiles.trained(dir)
            try BadFiles.editState(dir) { $0["completedEpochs"] = -5 }
            return arguments + ["--resume"]
        },
        BadInputCase("--resume state whose configuration is 10⁶× the command line's (compared before it is built)", "(the run has 2000000)") { dir in
            let arguments = try BadFiles.trained(dir)
            try BadFiles.editState(dir) { state in
                var c = state["configuration"] as? [String: Any] ?? [:]
                c["dModel"] = 2_000_000
                state["configuration"] = c
            }
            return arguments + ["--resume"]
        },
        BadInputCase("--resume state whose configuration does not validate", "d_state must be even") { dir in
            let arguments = try BadFiles.trained(dir)
            try BadFiles.editState(dir) { state in
                var c = state["configuration"] as? [String: Any] ?? [:]
                c["dState"] = -7
                state["configuration"] = c
            }
            return arguments + ["--resume"]
        },
        BadInputCase("--resume state with a negative optimiser step count", "optimiser step count -3") { dir in
            let arguments = try BadFiles.trained(dir)
            try BadFiles.editState(dir) { $0["optimizerSteps"] = -3 }
            return arguments + ["--resume"]
        },
        BadInputCase("--resume state whose step count disagrees with its epochs", "optimiser steps for 1 epochs") { dir in
            let arguments = try BadFiles.trained(dir)
            try BadFiles.editState(dir) { $0["optimizerSteps"] = 1000 }
            return arguments + ["--resume"]
        },
        BadInputCase("--resume state with a best epoch after the last completed one", "best epoch 7") { dir in
            let arguments = try BadFiles.trained(dir)
            try BadFiles.editState(dir) { $0["bestEpoch"] = 7 }
            return arguments + ["--resume"]
        },
        BadInputCase("--resume state without a data fingerprint", "fingerprint none in the state") { dir in
            let arguments = try BadFiles.trained(dir)
            try BadFiles.editState(dir) { $0["dataFingerprint"] = nil }
            return arguments + ["--resume"]
        },
        BadInputCase("--resume from a model file saved under the state's name", "not a Phasor training state") { dir in
            let arguments = try BadFiles.trained(dir)
            try FileManager.default.removeItem(atPath: BadFiles.path(dir, "m.resume.safetensors"))
            try FileManager.default.copyItem(atPath: BadFiles.path(dir, "m.safetensors"), toPath: BadFiles.path(dir, "m.resume.safetensors"))
            return arguments + ["--resume"]
        },
        BadInputCase("--resume state whose parameters overflow the first batch (was \"check the input for NaN/Inf\")", "first batch after resuming") { dir in
            let arguments = try BadFiles.trained(dir)
            try BadFiles.rewrite(BadFiles.path(dir, "m.resume.safetensors"), scale: { $0.hasPrefix("phasor.parameters.encoder.") ? 1e300 : nil })
            try BadFiles.editState(dir) { state in   // as if killed before the first epoch ended: epoch 1 runs again
                state["completedEpochs"] = 0; state["optimizerSteps"] = 0; state["bestEpoch"] = 0; state["history"] = [Any]()
            }
            return arguments + ["--resume"]
        },
        // ── 3c. outputs that name an input, or each other: refused before any work, by any spelling ─────────────
        BadInputCase("train --out equal to --data (overwrote the dataset)", "same file as the input --data") { dir in
            let data = try BadFiles.data(dir)
            return ["train", "--data", data, "--out", data] + BadFiles.tiny
        },
        BadInputCase("train --out ./d.csv, --data d.csv (relative spellings, run in the folder)", "same file as the input", inFolder: true) { dir in
            _ = try BadFiles.data(dir)
            return ["train", "--data", "d.csv", "--out", "./d.csv"] + BadFiles.tiny
        },
        BadInputCase("train --out through a symbolic link to --data", "same file as the input --data") { dir in
            let data = try BadFiles.data(dir)
            try FileManager.default.createSymbolicLink(atPath: BadFiles.path(dir, "m.safetensors"), withDestinationPath: "d.csv")
            return ["train", "--data", data, "--out", BadFiles.path(dir, "m.safetensors")] + BadFiles.tiny
        },
        BadInputCase("train --out a hard link of --data", "same file as the input --data") { dir in
            let data = try BadFiles.data(dir)
            guard link(data, BadFiles.path(dir, "m.safetensors")) == 0 else { throw SetupError("link failed") }
            return ["train", "--data", data, "--out", BadFiles.path(dir, "m.safetensors")] + BadFiles.tiny
        },
        BadInputCase("train --out equal to --test", "same file as the input --test") { dir in
            let test = try BadFiles.write("1,2,3,4,a\n2,3,4,5,b\n", dir, "t.csv")
            return ["train", "--data", try BadFiles.data(dir), "--test", test, "--out", test] + BadFiles.tiny
        },
        BadInputCase("train --data FOLDER --out FOLDER/toy_TEST.ts (a file the folder's data set is read from)", "toy_TEST.ts") { dir in
            let folder = dir.appendingPathComponent("toy")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            _ = try BadFiles.write(BadFiles.tsHeader + "1,2,3:a\n4,5,6:b\n1,2,4:a\n4,5,7:b\n", folder, "toy_TRAIN.ts")
            _ = try BadFiles.write(BadFiles.tsHeader + "1,2,3:a\n4,5,6:b\n", folder, "toy_TEST.ts")
            return ["train", "--data", folder.path, "--out", folder.appendingPathComponent("toy_TEST.ts").path] + BadFiles.tiny
        },
        BadInputCase("predict --output equal to --input", "same file as the input --input") { dir in
            let x = try BadFiles.npy(dir, shape: [1, 3, 1], values: [0, 1, 2])
            return ["predict", "--model", try BadFiles.checkpoint(dir), "--input", x, "--output", x]
        },
        BadInputCase("predict --output equal to --model", "same file as the input --model") { dir in
            let model = try BadFiles.checkpoint(dir)
            return ["predict", "--model", model, "--input", try BadFiles.npy(dir, shape: [1, 3, 1], values: [0, 1, 2]), "--output", model]
        },
        BadInputCase("design --out X --system-out X (overwrote the first)", "name the same file") { dir in
            ["design", "--periods", "10", "--memories", "50", "--out", BadFiles.path(dir, "x.safetensors"),
             "--system-out", BadFiles.path(dir, "x.safetensors")]
        },
        BadInputCase("design --out X --system-out ./X from inside the folder", "name the same file", inFolder: true) { _ in
            ["design", "--periods", "10", "--memories", "50", "--out", "x.safetensors", "--system-out", "./x.safetensors"]
        },
        BadInputCase("map --plot equal to --model", "same file as the input --model") { dir in
            let model = try BadFiles.s4d(dir)
            return ["map", "--model", model, "--plot", model]
        },
        BadInputCase("ring --plot equal to --input", "same file as the input --input") { dir in
            let x = try BadFiles.npy(dir, shape: [4], values: [1, 2, 3, 4])
            return ["ring", "--layer-input", "--model", try BadFiles.s4d(dir), "--input", x, "--plot", x]
        },
        BadInputCase("kuramoto --plot equal to --omega", "same file as the input --omega") { dir in
            let files = try BadFiles.kuramotoFiles(dir)
            return ["kuramoto"] + files + ["--coupling", "1", "--times", "1", "--plot", files[1]]
        },
        BadInputCase("network --plot equal to --jacobian", "same file as the input --jacobian") { dir in
            let j = try BadFiles.npy(dir, "j.npy", shape: [2, 2], values: [-1, 0, 0, -1])
            return ["network", "--jacobian", j, "--z0", try BadFiles.npy(dir, "z.npy", shape: [2], values: [1, 0]), "--times", "1", "--plot", j]
        },
        BadInputCase("dynamics --plot onto the run's own records (a file read from the --run folder)", "same file as the input") { dir in
            let run = try BadFiles.trainedRun(dir)
            return ["dynamics", "--run", run, "--plot", (run as NSString).appendingPathComponent("tracking.jsonl")]
        },
        BadInputCase("train --track equal to --out", "name the same file") { dir in
            try BadFiles.train(dir, ["--track", BadFiles.path(dir, "m.safetensors")])
                + BadFiles.tiny
        },
        BadInputCase("demo --out where a regular file is in the way (refused before training)", "not a folder") { dir in
            ["demo", "--quick", "--data", try BadFiles.data(dir), "--out", try BadFiles.write("x", dir, "report")]
        },
        // ── 4. files left behind after a failure: checks first, and a failing command rolls back ────────────────
        BadInputCase("train --test-fraction 0.5 where every class has one sample (trained, wrote both files, exit 1)", "leaves no test samples") { dir in
            ["train", "--data", try BadFiles.write(BadFiles.tsHeader + "1,2,3:a\n4,5,6:b\n", dir, "toy.ts"), "--test-fraction", "0.5",
             "--out", BadFiles.path(dir, "m.safetensors")] + BadFiles.tiny
        },
        BadInputCase("design --memories 1e-300 (failed after writing its output)", "too short") { dir in
            ["design", "--periods", "10", "--memories", "1e-300", "--out", BadFiles.path(dir, "x.safetensors")]
        },
        BadInputCase("design --memories 1e300 (μ rounds to 1)", "too long") { dir in
            ["design", "--periods", "10", "--memories", "1e300", "--out", BadFiles.path(dir, "x.safetensors")]
        },
        BadInputCase("train with <out>.resume.safetensors a folder (wrote <out> anyway)", "m.resume.safetensors") { dir in
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("m.resume.safetensors"), withIntermediateDirectories: false)
            return try BadFiles.train(dir, []) + BadFiles.tiny
        },
        BadInputCase("design --system-out onto a folder (--out not written)", "folder") { dir in
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("s.safetensors"), withIntermediateDirectories: false)
            return ["design", "--periods", "10", "--memories", "50", "--out", BadFiles.path(dir, "x.safetensors"),
                    "--system-out", BadFiles.path(dir, "s.safetensors")]
        },
        BadInputCase("operator --plot where a file is in the way (refused before the work)", "not a folder") { dir in
            _ = try BadFiles.write("x", dir, "plots")
            return ["operator", "--model", try BadFiles.checkpoint(dir), "--data", try BadFiles.data(dir), "--plot", BadFiles.path(dir, "plots/more")]
        },
        BadInputCase("train diverging with --track: the checkpoint, the state and the run folder are removed", "lower --lr") { dir in
            try BadFiles.train(dir, ["--lr", "1e300", "--epochs", "6",
             "--track", BadFiles.path(dir, "run"), "--track-every", "1"]) + BadFiles.tiny
        },
        BadInputCase("train diverging over an earlier run's files: both restored byte for byte", "diverged",
                     after: { dir in
                         try requireSameBytes(BadFiles.path(dir, "m.safetensors"), as: BadFiles.path(dir, "m.before"))
                         try requireSameBytes(BadFiles.path(dir, "m.resume.safetensors"), as: BadFiles.path(dir, "m.resume.before"))
                     }) { dir in
            _ = try BadFiles.trained(dir)
            try FileManager.default.copyItem(atPath: BadFiles.path(dir, "m.safetensors"), toPath: BadFiles.path(dir, "m.before"))
            try FileManager.default.copyItem(atPath: BadFiles.path(dir, "m.resume.safetensors"), toPath: BadFiles.path(dir, "m.resume.before"))
            return ["train", "--data", BadFiles.path(dir, "d.csv"), "--out", BadFiles.path(dir, "m.safetensors"), "--lr", "1e300", "--epochs", "6"]
                + BadFiles.tiny
        },
        // ── 5. messages that misled: the real cause, in one line ───────────────────────────────────────────────
        BadInputCase("train --lr 1e300 (was \"check the input for NaN/Inf\")", "training diverged at epoch") { dir in
            try BadFiles.train(dir, ["--lr", "1e300", "--epochs", "6"]) + BadFiles.tiny
        },
        BadInputCase("train --track onto a regular file (printed the banner, then the error)", "not a folder") { dir in
            _ = try BadFiles.write("x", dir, "run")
            return try BadFiles.train(dir, ["--track", BadFiles.path(dir, "run")]) + BadFiles.tiny
        },
        BadInputCase("train --resume with no state and a bad --track (two banner lines before)", "not a folder") { dir in
            _ = try BadFiles.write("x", dir, "run")
            return try BadFiles.train(dir, ["--resume",
                    "--track", BadFiles.path(dir, "run")]) + BadFiles.tiny
        },
        BadInputCase("eval with a subnormal input_std in the checkpoint (blamed the model input)", "input_std[0] = 5e-324 is subnormal") { dir in
            ["eval", "--model", try BadFiles.standardisedCheckpoint(dir, std: "[5e-324]"), "--data", try BadFiles.data(dir)]
        },
        BadInputCase("predict: an input that input_std = 1e-300 scales beyond Double", "with input_mean 0.0 and input_std 1e-300 overflows") { dir in
            ["predict", "--model", try BadFiles.standardisedCheckpoint(dir, std: "[1e-300]"),
             "--input", try BadFiles.npy(dir, shape: [1, 2, 1], values: [1e10, 0]), "--output", BadFiles.path(dir, "y.npy")]
        },
        BadInputCase("dynamics on a tracking.jsonl with a broken line (was a DecodingError dump)", "line 1 of tracking.jsonl") { dir in
            _ = try BadFiles.write("{\"format\":\"phasor-tracking-1\",\"layers\":1,\"channels\":1,\"modes\":1,\"every\":1}", dir, "tracking-meta.json")
            _ = try BadFiles.write("{\"step\": 1, \"loss\": [\n", dir, "tracking.jsonl")
            return ["dynamics", "--run", dir.path]
        },
        BadInputCase("dynamics on tracking metadata missing a key", "the key 'layers' is missing") { dir in
            _ = try BadFiles.write("{\"format\":\"phasor-tracking-1\",\"channels\":1,\"modes\":1,\"every\":1}", dir, "tracking-meta.json")
            _ = try BadFiles.write("", dir, "tracking.jsonl")
            return ["dynamics", "--run", dir.path]
        },
        BadInputCase("train --threads 1000", "threads must be in 1…64") { dir in
            try BadFiles.train(dir, ["--threads", "1000"])
        },
        BadInputCase("train --track-every 0 (the run folder is not left behind)", "--track-every must be ≥ 1") { dir in
            try BadFiles.train(dir, ["--track", BadFiles.path(dir, "run"),
             "--track-every", "0"]) + BadFiles.tiny
        },
    ]
}
