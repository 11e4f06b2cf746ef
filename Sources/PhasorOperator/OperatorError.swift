// Errors of the explicit-operator layer. Each says what was wrong and what to do.

public enum OperatorError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The requested truncation order is below 1 or beyond what can be evaluated.
    case invalidOrder(Int, String)
    /// A layer or nonlinearity the graded evaluation does not know how to expand.
    case unsupported(String)
    /// A power series whose terms grew past the floating-point range (named quantity, order reached).
    case overflow(quantity: String, order: Int)
    /// Anything else about the request.
    case invalid(String)

    public var description: String {
        switch self {
        case .invalidOrder(let order, let why): return "order \(order) is not allowed: \(why)"
        case .unsupported(let what): return "cannot expand \(what)"
        case .overflow(let quantity, let order):
            return "\(quantity) overflowed at order \(order): the series diverges at this input scale"
        case .invalid(let text): return text
        }
    }
}
