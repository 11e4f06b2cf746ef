// One error type for every file and dataset Phasor reads: users meet these messages when a file from elsewhere
// (PyTorch, NumPy, the UCR/UEA archives, a spreadsheet) does not match what Phasor expects. Each message names the
// file, where in it (line or byte offset), what was wrong and what to do about it.

/// A data file or dataset could not be read, or an array could not be built or converted.
public struct DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, so that callers and tests can react to the kind of failure without parsing the message.
    public enum Kind: String, Sendable, Equatable {
        case unreadable            // the file does not exist or cannot be read
        case truncated             // the file ends before its header says it should
        case badMagic              // not the file type its name says (wrong magic bytes)
        case badHeader             // the header is not valid JSON / Python literal / `.ts` header
        case badOffsets            // safetensors data_offsets out of range, overlapping or leaving holes
        case sizeMismatch          // shape × element size ≠ number of bytes, or element count ≠ product(shape)
        case unsupportedDType      // an element type Phasor does not read
        case badShape              // negative or non-integer dimensions
        case tooLarge              // a size that overflows or exceeds what the file can hold
        case unsupportedLayout     // a layout Phasor does not read (structured arrays, object arrays, …)
        case nonNumeric            // a cell of a `.ts`/CSV file is not a number
        case missingValues         // a case or channel holding only missing values (`?`, NaN, empty)
        case nonFinite             // an infinite value where a dataset needs finite numbers
        case raggedRows            // rows of different lengths where equal lengths are required
        case channelMismatch       // a case's channel count differs from the header or from other cases
        case unknownLabel          // a class label not declared / not seen in training
        case implausibleLabels     // a CSV training set's label column holds values (one sample per class, fractions)
        case badQuotes             // a CSV field with an unclosed double quote, or text after its closing quote
        case missingData           // a `.ts` file without an `@data` section
        case emptyData             // no cases at all
        case badArgument           // a caller passed an invalid argument (fraction out of range, …)
        case conversion            // a tensor cannot be converted to the requested type exactly
        case missingTensor         // a checkpoint lacks a tensor the model needs
        case shapeMismatch         // a tensor's shape differs from the one the model needs
    }

    public let kind: Kind
    /// The file (path) the problem is in, or a short description such as "<bytes>".
    public let file: String
    /// 1-based line number in a text file, when known.
    public let line: Int?
    /// Byte offset in a binary file, when known.
    public let byteOffset: Int?
    /// What was wrong.
    public let problem: String
    /// What to do about it.
    public let fix: String

    public init(_ kind: Kind, file: String, line: Int? = nil, byteOffset: Int? = nil, problem: String, fix: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.byteOffset = byteOffset
        self.problem = problem
        self.fix = fix
    }

    public var description: String {
        var place = file
        if let line { place += ", line \(line)" }
        if let byteOffset { place += ", byte offset \(byteOffset)" }
        return "\(place): \(problem) (\(fix))"
    }
}
