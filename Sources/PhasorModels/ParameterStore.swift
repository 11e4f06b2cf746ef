// The named parameters of a model, in the key names and shapes of state-spaces/s4 `example.py` (DESIGN.md §9), so a
// checkpoint is the store written out tensor by tensor and a PyTorch `state_dict` is read back without renaming.
// Values are Double (the precision every identity is claimed in); Float copies are made where training wants speed.

/// One named parameter tensor: its shape (row-major, as PyTorch) and its values.
public struct Parameter: Sendable, Equatable {
    public let name: String
    public let shape: [Int]
    public var values: [Double]

    public init(name: String, shape: [Int], values: [Double]) throws {
        let count = shape.reduce(1, *)
        guard shape.allSatisfy({ $0 >= 0 }), values.count == count else {
            throw ModelError.shapeMismatch(key: name, expected: shape, found: [values.count])
        }
        self.name = name
        self.shape = shape
        self.values = values
    }

    /// A tensor of zeros with this parameter's name and shape (the gradient's and the optimiser moments' layout).
    public func zeros() -> Parameter {
        // Shape and count were validated when `self` was made.
        try! Parameter(name: name, shape: shape, values: [Double](repeating: 0, count: values.count))
    }
}

/// An ordered set of named parameters. Order is the model's construction order (deterministic, as PyTorch's
/// `state_dict`); look-up by name is O(1).
public struct ParameterStore: Sendable, Equatable {
    public private(set) var parameters: [Parameter] = []
    private var index: [String: Int] = [:]

    public init() {}

    public init(_ parameters: [Parameter]) throws {
        for p in parameters { try append(p) }
    }

    public var names: [String] { parameters.map(\.name) }
    public var count: Int { parameters.count }
    /// The total number of scalars.
    public var scalarCount: Int { parameters.reduce(0) { $0 + $1.values.count } }

    public mutating func append(_ parameter: Parameter) throws {
        guard index[parameter.name] == nil else {
            throw ModelError.invalidConfiguration("parameter '\(parameter.name)' is defined twice")
        }
        index[parameter.name] = parameters.count
        parameters.append(parameter)
    }

    public func contains(_ name: String) -> Bool { index[name] != nil }

    /// The parameter called `name`, or `ModelError.missingKey`.
    public func parameter(_ name: String) throws -> Parameter {
        guard let i = index[name] else { throw ModelError.missingKey(name) }
        return parameters[i]
    }

    /// Values of `name` (read) — or replace them (write; the count must stay the same).
    public func values(_ name: String) throws -> [Double] { try parameter(name).values }

    public mutating func setValues(_ name: String, _ values: [Double]) throws {
        guard let i = index[name] else { throw ModelError.missingKey(name) }
        guard values.count == parameters[i].values.count else {
            throw ModelError.shapeMismatch(key: name, expected: parameters[i].shape, found: [values.count])
        }
        parameters[i].values = values
    }

    /// In-place access by position, for optimisers and gradient accumulation in hot loops.
    public subscript(position: Int) -> Parameter {
        get { parameters[position] }
        set {
            precondition(newValue.name == parameters[position].name && newValue.values.count == parameters[position].values.count,
                         "ParameterStore: a parameter's name and size are fixed")
            parameters[position] = newValue
        }
    }

    /// A store with the same names and shapes, all zeros.
    public func zeros() -> ParameterStore {
        var store = ParameterStore()
        store.parameters = parameters.map { $0.zeros() }
        store.index = index
        return store
    }

    /// Throws `ModelError.nonFinite` naming the first parameter that holds NaN or ±Inf.
    public func requireFinite() throws {
        for p in parameters where !p.values.allSatisfy({ $0.isFinite }) { throw ModelError.nonFinite(key: p.name) }
    }
}
