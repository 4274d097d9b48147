import Foundation
import Logging
import Testing
import PortholeLab
import PortholeTestSupport

extension LabTests {
/// When Prometheus itself cannot answer behind its Service, the run says so instead of blaming the way in.
@Suite struct BackendDiagnosisTests {
    /// The notes' cluster with the Prometheus container's arguments replaced.
    static func notes(prometheusArgs: String) throws -> String {
        let s = try LabFixture.text("notes").replacingOccurrences(
            of: #"args: ["--storage.tsdb.retention=6h", "--config.file=/etc/prometheus/prometheus.yml"]"#, with: "args: \(prometheusArgs)")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-backend-\(getpid())-\(UUID().uuidString.prefix(6)).yaml").path
        try s.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func run(_ playbook: String, prometheusArgs: String) throws -> CommandOutcome {
        var options = LabOptions(scenario: try Self.notes(prometheusArgs: prometheusArgs))
        options.useRealPrometheus = false
        options.waitForOtherLab = 120
        let lab = try LabInstance.start(options, logger: Logger(label: "lab"))
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        return try PortholeBinary.run(["--playbook", playbook, "--yes", "--kubeconfig", lab.kubeconfigPath], harness: harness, timeout: 180)
    }

    @Test(arguments: ["nodeport", "istio-gateway"])
    func aPrometheusBoundToLoopbackIsNamed(playbook: String) throws {
        let r = try run(playbook, prometheusArgs: #"["--web.listen-address=127.0.0.1:9090"]"#)
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("Prometheus itself cannot answer behind its Service"), "\(r)")
        #expect(r.stdout.contains("listens on 127.0.0.1:9090 (--web.listen-address)"), "\(r)")
    }

    @Test func aServiceSendingWherePrometheusDoesNotListenIsNamed() throws {
        let r = try run("nodeport", prometheusArgs: #"["--web.listen-address=:9091"]"#)
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("where Prometheus listens on 9091 (--web.listen-address)"), "\(r)")
    }
}
}
