import ArgumentParser
import Foundation

// Checks every command gets without asking for them, so an option added later gets them too (docs/reliability.md §2,
// "mechanisms"). They run in `mainWithOneLineErrors`, around ArgumentParser's own parsing:
//   • before parsing, a negative number after an option is joined to it: `--epochs -5` becomes `--epochs=-5`.
//     ArgumentParser alone reads "-5" as a cluster of short flags and says "Missing value for '--epochs <epochs>'";
//     joined, the option's own check says what is wrong with −5 (or −5 is simply the value, as for `--gamma -0.5`).
//   • after parsing, every floating-point option is finite: NaN or ±∞ (also "1e999", which parses as ∞) is refused
//     naming the option, before it can slip through a min/max (min(0.01, NaN) is 0.01) or reach a size;
//   • every integer option is a count, a size or an index, so it is ≥ 0: a negative one is refused naming the option
//     (before, `eval --batch -3` quietly used batches of 1 and `dynamics --top -1` listed nothing). Whether 0 is
//     allowed, and the upper bounds, are each option's own checks.
// Both work on the parsed command by reflection (Mirror): each stored property of a command that is an ArgumentParser
// property wrapper (@Option, @Argument, @OptionGroup) is visited with its value; option groups are walked into.

enum ParsedOptions {
    /// A value of a parsed command, named as its option is spelt on the command line (`ssmLr` → `--ssm-lr`).
    struct Value {
        let option: String
        let value: Any
    }

    /// The command line being run (after `joiningNegativeNumbers`), so that messages use the option as spelt there.
    nonisolated(unsafe) static var arguments: [String] = []

    /// Every @Option / @Argument value of `command`, option groups included, in declaration order.
    static func values(of command: Any) -> [Value] {
        var found: [Value] = []
        for child in Mirror(reflecting: command).children {
            guard let label = child.label, let wrapper = child.value as? ReflectedWrapper else { continue }
            let value = wrapper.reflectedValue
            if wrapper.isGroup {
                found += values(of: value)
            } else {
                found.append(Value(option: spelling(label, value: value), value: value))
            }
        }
        return found
    }

    /// The option as the user wrote it: ArgumentParser's default name for the property when the command line holds
    /// it; otherwise (a property with a custom name, e.g. `inputPath` for `--input`) the option written just before
    /// the value, or as `--name=value`.
    static func spelling(_ label: String, value: Any) -> String {
        let name = optionName(label)
        if arguments.contains(where: { $0 == name || $0.hasPrefix(name + "=") }) { return name }
        guard let text = value as? String else { return name }
        for (i, argument) in arguments.enumerated() where argument.hasPrefix("-") {
            if i + 1 < arguments.count, arguments[i + 1] == text { return argument }
            if argument.hasSuffix("=" + text) { return String(argument.dropLast(text.count + 1)) }
        }
        return name
    }

    /// "_ssmLr" → "--ssm-lr" (ArgumentParser's default long name of a property).
    static func optionName(_ label: String) -> String {
        var name = "--"
        for c in label.drop(while: { $0 == "_" }) {
            if c.isUppercase { name += "-" + c.lowercased() } else { name.append(c) }
        }
        return name
    }

    /// Throws one line naming the first floating-point option whose value is NaN or infinite, or integer option whose
    /// value is negative.
    static func requireValidNumbers(_ command: Any) throws {
        for v in values(of: command) {
            let numbers = (v.value as? [Double]) ?? (v.value as? Double).map { [$0] } ?? []
            if let bad = numbers.first(where: { !$0.isFinite }) {
                throw ValidationError("\(v.option) \(bad) is not a finite number (give a finite value)")
            }
            let integers = (v.value as? [Int]) ?? (v.value as? Int).map { [$0] } ?? []
            if let bad = integers.first(where: { $0 < 0 }) {
                throw ValidationError("\(v.option) \(bad) is negative; it is a count, size or index (give a value ≥ 0)")
            }
        }
    }

    /// `--name -5` → `--name=-5` wherever a negative number (or a comma list starting with one, "-1,2") follows an
    /// option that has no value attached yet. Nothing else changes, and nothing after a `--` terminator.
    static func joiningNegativeNumbers(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var previousIsOption = false
        for (i, argument) in arguments.enumerated() {
            if argument == "--" { return out + arguments[i...] }
            if previousIsOption, isNegativeNumber(argument), let option = out.popLast() {
                out.append(option + "=" + argument)
                previousIsOption = false
                continue
            }
            out.append(argument)
            previousIsOption = argument.hasPrefix("--") && argument.count > 2 && !argument.contains("=")
        }
        return out
    }

    /// "-5", "-0.5", "-.5", "-1e-3", "-inf", "-nan", "-1,2,3": a minus sign followed by a number (or a list of them).
    static func isNegativeNumber(_ text: String) -> Bool {
        guard text.hasPrefix("-"), text.count > 1 else { return false }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        return parts.allSatisfy { Double($0.trimmingCharacters(in: .whitespaces)) != nil }
    }
}

/// The ArgumentParser property wrappers a command's values live in.
protocol ReflectedWrapper {
    var reflectedValue: Any { get }
    var isGroup: Bool { get }
}

extension Option: ReflectedWrapper {
    var reflectedValue: Any { wrappedValue }
    var isGroup: Bool { false }
}

extension Argument: ReflectedWrapper {
    var reflectedValue: Any { wrappedValue }
    var isGroup: Bool { false }
}

extension OptionGroup: ReflectedWrapper {
    var reflectedValue: Any { wrappedValue }
    var isGroup: Bool { true }
}
