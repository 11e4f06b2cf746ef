// NaN and Inf never leave a public entry point silently (DESIGN.md §2). Every public function that returns numbers
// checks them with one of these and names the offending quantity in the error.

/// A computed or supplied quantity was NaN or infinite.
public struct NonFiniteError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What the quantity is, in words a user understands ("kernel of layer 0", "input X.npy").
    public let quantity: String
    /// The first offending flat index.
    public let index: Int
    /// The offending value, rendered ("nan", "inf", "-inf").
    public let value: String

    public init(quantity: String, index: Int, value: String) {
        self.quantity = quantity
        self.index = index
        self.value = value
    }

    public var description: String {
        "\(quantity) is not finite: element \(index) is \(value) (check the input for NaN/Inf, or lower the scale that overflowed)"
    }
}

/// Throws `NonFiniteError` naming `quantity` if any element is NaN or ±Inf.
@inlinable
public func requireFinite<C: Collection>(_ values: C, _ quantity: @autoclosure () -> String) throws
where C.Element: BinaryFloatingPoint {
    var index = 0
    for v in values {
        if !v.isFinite { throw NonFiniteError(quantity: quantity(), index: index, value: "\(v)") }
        index += 1
    }
}

/// Throws `NonFiniteError` naming `quantity` if `value` is NaN or ±Inf.
@inlinable
public func requireFinite<T: BinaryFloatingPoint>(_ value: T, _ quantity: @autoclosure () -> String) throws {
    if !value.isFinite { throw NonFiniteError(quantity: quantity(), index: 0, value: "\(value)") }
}
