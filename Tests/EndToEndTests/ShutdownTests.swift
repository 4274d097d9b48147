import Foundation
import Testing
import PortholeNet
import PortholeTestSupport

/// After `porthole lab serve` is stopped by a signal, and after `--lab` runs end (normally or by Ctrl-C),
/// nothing of the lab is left: no listener on its addresses or API port, no Prometheus or kubectl process.
@Suite(.serialized) struct ShutdownTests {
    static let block = 62
    static var hosts: [String] { FaultLab.addresses(block: block) }

    /// The pid in "real Prometheus 2.42.0 (pid N)".
    static func prometheusPID(_ text: String) -> Int32? {
        guard let r = text.range(of: "Prometheus [0-9.]+ (ready on [0-9.:]+ in [0-9.a-z]+ )?\\(pid [0-9]+\\)", options: .regularExpression) else { return nil }
        return Int32(text[r].split(separator: " ").last!.dropLast())
    }

    func assertNothingLeft(pids: [Int32], apiPort: UInt16?, _ output: String) {
        // Children are killed and reaped as the lab stops; allow the kernel a moment to finish.
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline && pids.contains(where: Spawned.alive) { Thread.sleep(forTimeInterval: 0.05) }
        #expect(pids.filter(Spawned.alive).isEmpty, "still running: \(pids.filter(Spawned.alive))\n\(output)")
        #expect(Spawned.listeners(on: Self.hosts).isEmpty, "still listening: \(Spawned.listeners(on: Self.hosts))")
        if let port = apiPort {
            #expect(throws: NetError.refused) { try TCPDialer.connect(host: "127.0.0.1", port: port, timeout: 2) }
        }
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func labServeLeavesNothingAfterASignal(signal: Int32) throws {
        let harness = try KubectlHarness(kubeconfig: "/nonexistent")
        defer { harness.cleanup() }
        let scenario = try FaultLab.relocatedNotes(block: Self.block)
        defer { try? FileManager.default.removeItem(atPath: scenario) }
        let lab = try Spawned(["lab", "serve", "--scenario", scenario], harness: harness)
        #expect(lab.waitFor(" ready at "), "\(lab.output)")
        let prometheus = try #require(Self.prometheusPID(lab.output), "no real Prometheus pid in: \(lab.output)")
        let port = try #require(lab.output.range(of: "127\\.0\\.0\\.1:[0-9]+", options: .regularExpression).flatMap { UInt16(lab.output[$0].split(separator: ":")[1]) })
        let children = Spawned.descendants(of: lab.pid)
        #expect(children.contains(prometheus))
        #expect(!Spawned.listeners(on: Self.hosts).isEmpty, "the lab opened no data-plane listener")
        kill(lab.pid, signal)
        #expect(lab.waitForExit() == 0, "\(lab.output)")
        assertNothingLeft(pids: children, apiPort: port, lab.output)
    }

    @Test func aLabRunLeavesNothingWhenItEnds() throws {
        let harness = try KubectlHarness(kubeconfig: "/nonexistent")
        defer { harness.cleanup() }
        let scenario = try FaultLab.relocatedNotes(block: Self.block)
        defer { try? FileManager.default.removeItem(atPath: scenario) }
        let run = try Spawned(["--lab", scenario, "--playbook", "nodeport", "--verbose"], harness: harness)
        #expect(run.waitFor("pid "), "\(run.output)")
        let prometheus = try #require(Self.prometheusPID(run.output), "no real Prometheus pid in: \(run.output)")
        #expect(run.waitForExit(timeout: 120) == 1, "\(run.output)")
        #expect(run.output.contains("Goal not reached: stopped at fix make-nodeport"), "\(run.output)")
        assertNothingLeft(pids: [prometheus], apiPort: nil, run.output)
    }

    @Test func aLabRunInterruptedByCtrlCLeavesNothing() throws {
        let harness = try KubectlHarness(kubeconfig: "/nonexistent")
        defer { harness.cleanup() }
        let scenario = try FaultLab.relocatedNotes(block: Self.block)
        defer { try? FileManager.default.removeItem(atPath: scenario) }
        // The services list stalls, so Ctrl-C lands while kubectl is waiting on the lab.
        let run = try Spawned(["--lab", scenario, "--playbook", "nodeport", "--verbose", "--fault", "stall=30s,path=/api/v1/services"],
                              harness: harness)
        // The batched list (`get services,endpoints,nodes -A -o json`) is the request that stalls.
        #expect(run.waitFor(" -A -o json"), "\(run.output)")
        Thread.sleep(forTimeInterval: 0.5)
        let children = Spawned.descendants(of: run.pid)
        let prometheus = try #require(Self.prometheusPID(run.output), "no real Prometheus pid in: \(run.output)")
        #expect(children.contains(prometheus))
        #expect(children.count >= 2, "expected Prometheus and a waiting kubectl: \(children)")
        kill(run.pid, SIGINT)
        #expect(run.waitForExit() == 130, "\(run.output)")
        assertNothingLeft(pids: children, apiPort: nil, run.output)
    }
}
