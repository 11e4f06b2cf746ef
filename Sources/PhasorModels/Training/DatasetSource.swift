import PhasorData

// The one path from a dataset to what a model sees: SequenceDataset (PhasorData) → BatchSource (labels re-mapped to
// the checkpoint's classes by NAME when its class list differs in order or extent) → standardised as the checkpoint
// says → padded batches (`BatchSource.batch`). Training, evaluation, the operator, the analyses and the demo all
// take their inputs here.

extension BatchSource {
    /// The dataset's samples as they are (labels = indices into `dataset.classNames`).
    public init(dataset: SequenceDataset) throws {
        try self.init(sequences: dataset.samples.map(\.values), lengths: dataset.samples.map(\.length),
                      labels: dataset.samples.map(\.label), channels: dataset.channels)
    }

    /// The dataset with labels re-indexed to `classNames` (the model's class order). A class of the dataset that the
    /// model does not know is an error only if a sample uses it.
    public init(dataset: SequenceDataset, classNames: [String]) throws {
        let position = Dictionary(classNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var labels: [Int] = []
        for sample in dataset.samples {
            let name = dataset.classNames[sample.label]
            guard let k = position[name] else {
                throw ModelError.invalidConfiguration("class '\(name)' of \(dataset.name) is not one of the model's classes \(classNames)")
            }
            labels.append(k)
        }
        try self.init(sequences: dataset.samples.map(\.values), lengths: dataset.samples.map(\.length),
                      labels: labels, channels: dataset.channels)
    }
}

extension TrainingData {
    /// Training data from a dataset: a stratified validation split of `validationFraction` (0: none) drawn with `seed`.
    public init(dataset: SequenceDataset, validationFraction: Double, seed: UInt64) throws {
        if validationFraction > 0 {
            let (train, validation) = try dataset.stratifiedSplit(validationFraction: validationFraction, seed: seed)
            self.init(train: try BatchSource(dataset: train), validation: try BatchSource(dataset: validation),
                      classNames: dataset.classNames)
        } else {
            self.init(train: try BatchSource(dataset: dataset), validation: nil, classNames: dataset.classNames)
        }
    }

    /// The K stratified folds of `dataset` for cross-validation (`CrossValidation`), drawn with `seed`: fold f
    /// validates on its own part and trains on the others.
    public static func folds(dataset: SequenceDataset, count: Int, seed: UInt64) throws -> [TrainingData] {
        try dataset.stratifiedFolds(count, seed: seed).map {
            TrainingData(train: try BatchSource(dataset: $0.train), validation: try BatchSource(dataset: $0.validation),
                         classNames: dataset.classNames)
        }
    }
}

extension InputStandardisation {
    /// `source` with every sequence standardised (u − μ)/σ per channel.
    public func applied(to source: BatchSource) throws -> BatchSource {
        guard source.channels == channels else { throw ModelError.inputWidth(expected: channels, found: source.channels) }
        var sequences = source.sequences
        for i in sequences.indices { try apply(to: &sequences[i]) }
        return try BatchSource(sequences: sequences, lengths: source.lengths, labels: source.labels, channels: source.channels)
    }
}

extension Checkpoint {
    /// The class names in logit order: the checkpoint's own, else the dataset's; their number must be the model's.
    public func classNames(for dataset: SequenceDataset) throws -> [String] {
        let names = classNames ?? dataset.classNames
        guard names.count == model.configuration.classes else {
            throw ModelError.invalidConfiguration("\(dataset.name) has \(names.count) classes but the model has \(model.configuration.classes)")
        }
        return names
    }

    /// The dataset as this checkpoint reads it, raw: its width checked, labels re-indexed to the model's classes.
    public func labelledSource(_ dataset: SequenceDataset) throws -> BatchSource {
        guard dataset.channels == model.configuration.dInput else {
            throw ModelError.inputWidth(expected: model.configuration.dInput, found: dataset.channels)
        }
        return try BatchSource(dataset: dataset, classNames: try classNames(for: dataset))
    }

    /// What the model itself sees: `labelledSource` standardised with the checkpoint's statistics (when it has them).
    /// `BatchSource.batch(_:)` cuts it into padded (B, L, d_input) batches.
    public func modelInputs(_ dataset: SequenceDataset) throws -> BatchSource {
        let raw = try labelledSource(dataset)
        return try standardisation?.applied(to: raw) ?? raw
    }
}
