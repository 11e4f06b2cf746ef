// Complex<Double> (ComplexModule) and the Real protocol (RealModule) of swift-numerics are the scalar types of every
// layer; re-exporting them means `import PhasorNumerics` is enough above this layer.
@_exported import ComplexModule
@_exported import RealModule
