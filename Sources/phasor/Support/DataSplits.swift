import ArgumentParser
import PhasorData

// Where the held-out test part comes from, shared by `train` and `eval`: a separate test file (--test), the
// *_TEST.ts beside a UCR/UEA *_TRAIN.ts, or — for a single file — a stratified split of --test-fraction drawn with the
// run's seed (the same seed reproduces the same split in `eval`). The test part is never used for choices.
// What the readers decided about the files (a skipped header row, missing values filled or ending a shorter
// sequence) goes to Notes: a line each on stderr after a success, appended to the one error line after a failure.

/// How dataset files are read: the options every command that reads a dataset shares (`@OptionGroup`).
struct DatasetOptions: ParsableArguments {
    @Option(help: "CSV/TSV column holding the class label: last (default) or first (the UCR 2018 archive's layout).")
    var labelColumn: LabelColumn = .last
}

extension LabelColumn: ExpressibleByArgument {}

enum DataSplits {
    /// (train part, test part or nil).
    static func load(data: String, test: String?, testFraction: Double?, seed: UInt64, options: DatasetOptions = DatasetOptions())
        throws -> (train: SequenceDataset, test: SequenceDataset?) {
        let (train, test) = try split(data: data, test: test, testFraction: testFraction, seed: seed, labelColumn: options.labelColumn)
        for notes in [train.notes] + (test.map { [$0.notes] } ?? []) { Notes.add(notes.decisions, about: notes.file) }
        return (train, test)
    }

    private static func split(data: String, test: String?, testFraction: Double?, seed: UInt64, labelColumn: LabelColumn)
        throws -> (train: SequenceDataset, test: SequenceDataset?) {
        if let test {
            guard testFraction == nil else { throw CLIError("give either --test or --test-fraction, not both") }
            let both = try DatasetLoader.load(train: data, test: test, labelColumn: labelColumn)
            return (both.train, both.test)
        }
        let loaded = try DatasetLoader.load(path: data, labelColumn: labelColumn)
        if let fraction = testFraction {
            guard loaded.test == nil else {
                throw CLIError("\(data) already has a test split; drop --test-fraction")
            }
            let parts = try loaded.train.stratifiedSplit(validationFraction: fraction, seed: seed)
            return (parts.train, parts.validation)
        }
        return (loaded.train, loaded.test)
    }
}
