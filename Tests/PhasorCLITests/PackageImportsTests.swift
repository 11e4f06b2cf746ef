// Package.swift's dependency lists equal the imports, both ways: a target imports no module of this package it does
// not declare (SwiftPM's --explicit-target-dependency-import-check only sees imports outside the declared closure, so
// a transitive import would pass it), and declares none it does not import (a test target may also depend on the
// executable it runs). Read from the files themselves: Package.swift's text and every .swift file's import lines.
import Foundation
import Testing

@Suite struct PackageImportsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// (target name, kind, declared dependencies that are targets of this package) from Package.swift.
    static func declared() throws -> [(name: String, kind: String, dependencies: Set<String>)] {
        let text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let call = try NSRegularExpression(pattern: #"\.(target|executableTarget|testTarget|systemLibrary)\(\s*name:\s*"([^"]+)""#)
        let ns = text as NSString
        let matches = call.matches(in: text, range: NSRange(location: 0, length: ns.length))
        return matches.enumerated().map { k, m in
            let end = k + 1 < matches.count ? matches[k + 1].range.location : ns.length
            let body = ns.substring(with: NSRange(location: m.range.location, length: end - m.range.location))
            var deps = Set<String>()
            if let open = body.range(of: "dependencies: [") {
                var depth = 1, i = open.upperBound, list = ""
                while i < body.endIndex, depth > 0 {
                    if body[i] == "[" { depth += 1 } else if body[i] == "]" { depth -= 1 }
                    if depth > 0 { list.append(body[i]) }
                    i = body.index(after: i)
                }
                let literal = try! NSRegularExpression(pattern: #"(\.product\(name:\s*)?"([^"]+)""#)
                for d in literal.matches(in: list, range: NSRange(location: 0, length: (list as NSString).length))
                where d.range(at: 1).location == NSNotFound {                    // .product(name:) is another package's
                    deps.insert((list as NSString).substring(with: d.range(at: 2)))
                }
            }
            return (ns.substring(with: m.range(at: 2)), ns.substring(with: m.range(at: 1)), deps)
        }
    }

    /// The modules imported by the .swift files under `folder`.
    static func imports(_ folder: URL) throws -> Set<String> {
        let line = try NSRegularExpression(pattern: #"^\s*(?:@testable |@_exported |public |package )?import (\w+)"#,
                                           options: .anchorsMatchLines)
        var out = Set<String>()
        guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return out }
        for case let file as URL in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for m in line.matches(in: text, range: NSRange(location: 0, length: (text as NSString).length)) {
                out.insert((text as NSString).substring(with: m.range(at: 1)))
            }
        }
        return out
    }

    @Test func dependencyListsEqualTheImports() throws {
        let targets = try Self.declared()
        let names = Set(targets.map(\.name))
        #expect(names.isSuperset(of: ["PhasorNumerics", "PhasorModels", "PhasorFigures", "phasor", "PhasorCLITests"]))
        for t in targets where t.kind != "systemLibrary" {
            let folder = Self.root.appendingPathComponent(t.kind == "testTarget" ? "Tests" : "Sources").appendingPathComponent(t.name)
            let imported = try Self.imports(folder).intersection(names)
            let executables = Set(targets.filter { $0.kind == "executableTarget" }.map(\.name))
            let own = t.dependencies.intersection(names)                           // not other packages' products
            let declared = t.kind == "testTarget" ? own.subtracting(executables) : own
            #expect(imported == declared, "\(t.name): imports \(imported.sorted()) but declares \(declared.sorted())")
        }
    }

    /// BLAS and LAPACK are reached only through PhasorNumerics.
    @Test func onlyNumericsImportsLapack() throws {
        for t in try Self.declared() where t.kind == "target" || t.kind == "executableTarget" {
            let folder = Self.root.appendingPathComponent("Sources").appendingPathComponent(t.name)
            let imported = try Self.imports(folder)
            #expect(t.name == "PhasorNumerics" || !imported.contains("CLapack"), "\(t.name) imports CLapack")
        }
    }
}
