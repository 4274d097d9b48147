import Foundation
import Testing
import PortholeLab
import PortholeTestSupport

/// porthole against a faulty API server: a transient fault changes nothing in the verdict, a persistent one
/// ends with exit 3 naming the server and the fault, and never with a pass or a wrong diagnosis.
@Suite struct FaultInjectionTests {
    /// `porthole check` on the notes scenario with nothing injected: the verdict every transient fault must keep.
    static let baseline: CommandOutcome? = {
        guard let l = try? FaultLab([]) else { return nil }
        defer { l.stop() }
        return try? l.porthole(["check"])
    }()

    /// Faults a read retry rides out (each hits a few requests, or a share of one path, deterministically).
    static let transient = [
        "503,count=2", "500,share=0.5,path=/api/v1/services", "429,retry-after=1,count=2", "429,count=1",
        "reset,count=3", "reset,share=0.5,path=/api/v1/pods", "stall=1s,count=3",
        "bad-json,count=1,path=/api/v1/services", "html,count=1,path=/api/v1/services",
        "500,count=2,path=/apis/networking.istio.io",
        // The first /apis request is porthole's one discovery read (`get --raw /apis`): retried like any read.
        "503,count=2,path=/apis",
    ]

    @Test(arguments: transient)
    func aTransientFaultKeepsTheVerdict(spec: String) throws {
        let base = try #require(Self.baseline)
        #expect(base.exitCode == 0 && base.findingsText.contains("PH0406"), "\(base)")
        let l = try FaultLab([spec])
        defer { l.stop() }
        let r = try l.porthole(["check"])
        #expect(l.lab.faultHits.first ?? 0 > 0, "the fault \(spec) never hit")
        #expect(r.exitCode == base.exitCode, "\(spec): \(r)")
        #expect(r.findingsText == base.findingsText, "\(spec): \(r)")
    }

    /// Faults that never clear, with what the message must say besides the server's address.
    static let persistent: [(spec: String, says: String)] = [
        ("500", "500"), ("503", "503"), ("429", "429"),
        ("500,path=/api/v1/services", "500"), ("503,path=/apis/networking.istio.io", "discovery could not list networking.istio.io"),
        ("html,path=/api/v1/services", "not the JSON"), ("bad-json,path=/api/v1/services", "not the JSON"),
        // kubectl may give up on the group during discovery or during the list; either way the fault is named.
        ("html,path=/apis/networking.istio.io", "is failing"),
        ("reset,path=/api/v1/services", "reset"),
    ]

    @Test(arguments: persistent.map(\.spec))
    func aPersistentFaultExits3NamingServerAndFault(spec: String) throws {
        let says = Self.persistent.first { $0.spec == spec }!.says
        let l = try FaultLab([spec])
        defer { l.stop() }
        let r = try l.porthole(["check"])
        #expect(r.exitCode == 3, "\(spec): \(r)")
        #expect(r.stderr.contains(l.lab.apiURL), "\(spec): \(r)")
        #expect(r.stderr.contains(says), "\(spec): \(r)")
        // No verdict at all: neither findings nor a clean bill of health.
        #expect(!r.stdout.contains("PH0"), "\(spec): \(r)")
        #expect(!r.stderr.contains("internal error (please report)"), "\(spec): \(r)")
    }

    @Test func readsAreRetriedABoundedNumberOfTimes() throws {
        let l = try FaultLab(["500,path=/api/v1/services"])
        defer { l.stop() }
        let r = try l.porthole(["check"])
        #expect(r.exitCode == 3, "\(r)")
        // One batched list per try: tried again, and at most 4 times.
        let lists = l.lab.requestLog.entries.filter { $0.path == "/api/v1/services" }.count
        #expect((2...4).contains(lists), "\(lists) lists of services")
    }

    @Test func theSameSeedHitsTheSameRequests() throws {
        func pattern(_ seed: UInt64) throws -> [Int] {
            let l = try FaultLab(["500,share=0.5"], seed: seed)
            defer { l.stop() }
            var statuses: [Int] = []
            for _ in 0..<12 { statuses.append(Int(try l.harness.run(["get", "--raw", "/version"]).exitCode)) }
            return statuses
        }
        let a = try pattern(7), b = try pattern(7), c = try pattern(8)
        #expect(a == b)
        #expect(a != c)
        #expect(a.contains(0) && a.contains { $0 != 0 }, "\(a)")
    }

    @Test func labServeTakesFaultsFromTheCommandLine() throws {
        let harness = try KubectlHarness(kubeconfig: "/nonexistent")
        defer { harness.cleanup() }
        let scenario = try FaultLab.relocatedNotes(block: 63)
        defer { try? FileManager.default.removeItem(atPath: scenario) }
        let kubeconfig = harness.workDir + "/lab.kubeconfig"
        let lab = try Spawned(["lab", "serve", "--scenario", scenario, "--no-prometheus", "--kubeconfig-out", kubeconfig,
                               "--fault", "503,path=/api/v1/services"], harness: harness)
        defer { kill(lab.pid, SIGTERM); _ = lab.waitForExit() }
        #expect(lab.waitFor(" ready at "), "\(lab.output)")
        let r = try PortholeBinary.run(["check", "--kubeconfig", kubeconfig], harness: harness)
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains("503"), "\(r)")
    }

    @Test func aMalformedFaultIsAUsageErrorNamingIt() throws {
        let harness = try KubectlHarness(kubeconfig: "/nonexistent")
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(["lab", "serve", "--fault", "teapot,share=0.5"], harness: harness)
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderr.contains("--fault 'teapot,share=0.5': unknown fault 'teapot'"), "\(r)")
    }
}
