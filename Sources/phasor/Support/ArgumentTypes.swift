import ArgumentParser
import PhasorModels

// Library enums usable as option values (`--precision f64`, `--init inv`, …); their raw values are the spellings.

extension S4DInit: ExpressibleByArgument {}
extension Discretization: ExpressibleByArgument {}
extension ComputePrecision: ExpressibleByArgument {}
extension HeadKind: ExpressibleByArgument {}
extension NormKind: ExpressibleByArgument {}
