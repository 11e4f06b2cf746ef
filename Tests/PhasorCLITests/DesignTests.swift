import Foundation
import Testing

@Suite struct DesignCommandTests {
    @Test func designWritesALayerWhoseMapRecoversTheTargets() throws {
        let dir = try TestFiles.directory()
        let layer = dir.appendingPathComponent("layer.safetensors"), system = dir.appendingPathComponent("sys.safetensors")
        let design = try CLI.run(["design", "--periods", "10,100,1000", "--memories", "50,500,5000", "--dt", "1",
                                  "--out", layer.path, "--system-out", system.path, "--json"])
        #expect(design.status == 0, "\(design.stderr)")
        let json = try TestFiles.json(design.stdout)
        #expect(try #require(json["max_relative_error"] as? Double) <= 1e-12)
        let periods = [10.0, 100, 1000], memories = [50.0, 500, 5000]

        let map = try CLI.run(["map", "--model", layer.path, "--json"])
        #expect(map.status == 0, "\(map.stderr)")
        let layers = try #require(try TestFiles.json(map.stdout)["layers"] as? [[String: Any]])
        let channel = try #require((layers.first?["channels"] as? [[String: Any]])?.first)
        let modes = try #require(channel["modes"] as? [[String: Any]])
        #expect(modes.count == 3)
        for (k, mode) in modes.enumerated() {
            #expect(abs(try #require(mode["period"] as? Double) - periods[k]) <= 1e-12 * periods[k])
            #expect(abs(try #require(mode["decay_time"] as? Double) - memories[k]) <= 1e-12 * memories[k])
        }

        // the real block system, ZOH-discretised: each target once (plus its conjugate partner)
        let sys = try CLI.run(["map", "--system", system.path, "--json"])
        #expect(sys.status == 0, "\(sys.stderr)")
        let sysModes = try #require(try TestFiles.json(sys.stdout)["modes"] as? [[String: Any]])
        #expect(sysModes.count == 6)
        let found = sysModes.compactMap { $0["period"] as? Double }
        for p in periods { #expect(found.filter { abs($0 - p) <= 1e-10 * p }.count == 2) }
    }

    @Test func impossibleTargetsFail() throws {
        let nyquist = try CLI.run(["design", "--periods", "1.5", "--memories", "10"])
        #expect(nyquist.status != 0 && nyquist.stderr.contains("2Δ"))
        let counts = try CLI.run(["design", "--periods", "10,20", "--memories", "10"])
        #expect(counts.status != 0)
        let words = try CLI.run(["design", "--periods", "ten", "--memories", "10"])
        #expect(words.status != 0 && words.stderr.contains("--periods"))
        let memory = try CLI.run(["design", "--periods", "10", "--memories", "-1"])
        #expect(memory.status != 0)
        let step = try CLI.run(["design", "--periods", "10", "--memories", "5", "--dt", "0"])
        #expect(step.status != 0)
    }
}
