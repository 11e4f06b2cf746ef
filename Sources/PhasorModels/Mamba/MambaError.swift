// Errors of running a Mamba language model on token ids (checkpoint problems are `ModelError`/`DataError`, layer
// problems `ArchitectureError`). Each says what was wrong and what to do.

/// Token ids or a carried state that do not fit the model.
public enum MambaError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A token id outside 0..<vocab (index = position in the flattened (B, L) array).
    case tokenOutOfRange(index: Int, id: Int64, vocabulary: Int)
    /// Token array sizes that do not match (B, L).
    case tokenShape(String)
    /// A streaming state built for another model or batch size.
    case stateMismatch(String)

    public var description: String {
        switch self {
        case let .tokenOutOfRange(index, id, vocabulary):
            return "token id \(id) at position \(index) is outside the vocabulary 0..<\(vocabulary) (the embedding has \(vocabulary) rows; check the tokenizer)"
        case let .tokenShape(text):
            return "token ids: \(text)"
        case let .stateMismatch(text):
            return "streaming state does not fit the model: \(text) (start from MambaState(for:batch:))"
        }
    }
}
