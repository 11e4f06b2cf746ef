import PhasorData

// SequenceDataset (PhasorData) → the trainer's BatchSource, and the label re-mapping a checkpoint needs when it is
// evaluated on a file whose class list differs in order or extent (labels are matched by class NAME).

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
}
