import ArgumentParser
import PhasorModels

// Library enums usable as option values (`--precision f64`, `--init inv`, …); their raw values are the spellings.

extension S4DInit: ExpressibleByArgument {}
extension Discretization: ExpressibleByArgument {}
extension ComputePrecision: ExpressibleByArgument {}
extension HeadKind: ExpressibleByArgument {
    /// Also S5's name full_glu for glu.
    public init?(argument: String) {
        guard let kind = HeadKind(rawValue: argument) ?? HeadKind(s5Name: argument) else { return nil }
        self = kind
    }
}
extension CoreKind: ExpressibleByArgument {}
extension ReferenceSkeleton: ExpressibleByArgument {}
extension Pooling: ExpressibleByArgument {}
extension S5CInit: ExpressibleByArgument {}
extension LearningRateSchedule: ExpressibleByArgument {}
extension NormKind: ExpressibleByArgument {}
