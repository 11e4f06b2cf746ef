import Foundation

// Where datasets come from: a `.ts` file, a folder with NAME_TRAIN.ts / NAME_TEST.ts (the UCR/UEA layout; also
// NAME_TRAIN.csv / NAME_TEST.csv and the UCR 2018 archive's NAME_TRAIN.tsv / NAME_TEST.tsv), or a CSV/TSV file. A
// test set is always read against its training set's class names, so label indices mean the same class in both.

/// Which column of a CSV/TSV row holds the class label: the last (Phasor's default, Data/digits/digits.csv) or the
/// first (the UCR 2018 archive). `.ts` files always carry the label after the last ':'.
public enum LabelColumn: String, Sendable, CaseIterable {
    case first, last
}

public enum DatasetLoader {
    /// PATH is a `.ts` file, a folder holding `*_TRAIN.ts` and `*_TEST.ts` (or `.csv`/`.tsv` pairs), or a CSV/TSV
    /// file with one sequence per row and the label in `labelColumn` (every other column one time step of a
    /// univariate sequence, like Data/digits/digits.csv). A single file gives no test set.
    public static func load(path: String, labelColumn: LabelColumn = .last) throws
        -> (train: SequenceDataset, test: SequenceDataset?) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError(.unreadable, file: path, problem: "no such file or folder",
                            fix: "pass a .ts file, a .csv file, or a folder with NAME_TRAIN.ts and NAME_TEST.ts")
        }
        guard isDirectory.boolValue else { return (try loadFile(path, classNames: nil, labelColumn: labelColumn), nil) }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
            throw DataError(.unreadable, file: path, problem: "the folder cannot be listed", fix: "check its permissions (ls -ld)")
        }
        for ext in ["ts", "csv", "tsv"] {
            let trains = names.filter { $0.lowercased().hasSuffix("_train.\(ext)") }.sorted()
            let tests = names.filter { $0.lowercased().hasSuffix("_test.\(ext)") }.sorted()
            if trains.isEmpty { continue }
            guard trains.count == 1, tests.count <= 1 else {
                throw DataError(.badArgument, file: path,
                                problem: "the folder holds several training/test files (\((trains + tests).joined(separator: ", ")))",
                                fix: "pass the files with load(train:test:), or keep one NAME_TRAIN/NAME_TEST pair per folder")
            }
            let trainPath = (path as NSString).appendingPathComponent(trains[0])
            guard let test = tests.first else { return (try loadFile(trainPath, classNames: nil, labelColumn: labelColumn), nil) }
            let pair = try load(train: trainPath, test: (path as NSString).appendingPathComponent(test), labelColumn: labelColumn)
            return (pair.train, pair.test)
        }
        throw DataError(.unreadable, file: path, problem: "the folder holds no NAME_TRAIN.ts, NAME_TRAIN.csv or NAME_TRAIN.tsv file",
                        fix: "pass a folder in the UCR/UEA layout, or a single .ts/.csv file")
    }

    /// A test set read against the training set's class names: a class unseen in training is an error.
    public static func load(train trainPath: String, test testPath: String, labelColumn: LabelColumn = .last) throws
        -> (train: SequenceDataset, test: SequenceDataset) {
        let train = try loadFile(trainPath, classNames: nil, labelColumn: labelColumn)
        let test = try loadFile(testPath, classNames: train.classNames, labelColumn: labelColumn)
        guard test.channels == train.channels else {
            throw DataError(.channelMismatch, file: testPath,
                            problem: "the test set has \(test.channels) channels but the training set has \(train.channels)",
                            fix: "pass the test file that belongs to \(trainPath)")
        }
        return (train, test)
    }

    /// One file, by extension: `.ts`; CSV (`.csv`, `.txt`, separated by ','); TSV (`.tsv`, separated by tabs).
    static func loadFile(_ path: String, classNames: [String]?, labelColumn: LabelColumn) throws -> SequenceDataset {
        let ext = (path as NSString).pathExtension.lowercased()
        switch ext {
        case "ts":
            guard labelColumn == .last else {
                throw DataError(.badArgument, file: path, problem: "a label column was chosen for a .ts file",
                                fix: "a .ts case carries its label after the last ':'; the label column applies to CSV/TSV files")
            }
            return try TSFormat.parse(try FileBytes.read(path), file: path, classNames: classNames)
        case "csv", "txt", "tsv":
            return try CSVFormat.parse(try FileBytes.read(path), file: path, separator: ext == "tsv" ? 0x09 : UInt8(ascii: ","),
                                       labelColumn: labelColumn, classNames: classNames)
        default:
            throw DataError(.unsupportedLayout, file: path, problem: "unknown dataset extension '.\(ext)'",
                            fix: "use a UCR/UEA .ts file, or a .csv/.tsv file with one sequence per row and its label")
        }
    }

    /// The dataset name a file implies: its base name without extension and without a _TRAIN/_TEST suffix.
    static func stem(of path: String) -> String {
        var base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        for suffix in ["_TRAIN", "_TEST", "_train", "_test"] where base.hasSuffix(suffix) {
            base = String(base.dropLast(suffix.count))
        }
        return base
    }
}
