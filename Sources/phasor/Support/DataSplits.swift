import PhasorData

// Where the held-out test part comes from, shared by `train` and `eval`: a separate test file (--test), the
// *_TEST.ts beside a UCR/UEA *_TRAIN.ts, or — for a single file — a stratified split of --test-fraction drawn with the
// run's seed (the same seed reproduces the same split in `eval`). The test part is never used for choices.

enum DataSplits {
    /// (train part, test part or nil).
    static func load(data: String, test: String?, testFraction: Double?, seed: UInt64) throws
        -> (train: SequenceDataset, test: SequenceDataset?) {
        if let test {
            guard testFraction == nil else { throw CLIError("give either --test or --test-fraction, not both") }
            let both = try DatasetLoader.load(train: data, test: test)
            return (both.train, both.test)
        }
        let loaded = try DatasetLoader.load(path: data)
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
