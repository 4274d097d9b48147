import Foundation
import Logging
import Testing
import PortholeLab
import PortholeTestSupport

/// `porthole check` and `plan` with the built binary: the notes' own manifests offline and over the notes' lab,
/// and the notes' LoadBalancer edit made with real kubectl.
extension LabTests {
    @Suite(.serialized) struct CheckCommandTests {
        static func codes(_ out: String) -> Set<String> {
            Set(out.split(separator: "\n").compactMap { line -> String? in
                let parts = line.split(separator: " ", omittingEmptySubsequences: true)
                guard parts.count > 1, ["ERROR", "WARNING", "INFO"].contains(String(parts[0])) else { return nil }
                return String(parts[1])
            })
        }

        @Test func theNotesGatewayAndVirtualServiceRaiseThreeDistinctCodes() throws {
            var options = LabOptions(scenario: "notes")
            options.useRealPrometheus = false
            options.waitForOtherLab = 240
            let lab = try LabInstance.start(options, logger: Logger(label: "lab"))
            defer { lab.stop() }
            let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
            defer { harness.cleanup() }
            let manifests = PortholeBinary.repository + "/examples/notes-attempt2.yaml"

            let offline = try PortholeBinary.run(["check", "-f", manifests], harness: harness)
            #expect(offline.exitCode == 1, "\(offline)")
            #expect(Self.codes(offline.stdout).isSuperset(of: ["PH0201", "PH0301"]), "\(offline.stdout)")

            let over = try PortholeBinary.run(["check", "--kubeconfig", lab.kubeconfigPath, "-f", manifests], harness: harness)
            #expect(over.exitCode == 1, "\(over)")
            #expect(Self.codes(over.stdout).isSuperset(of: ["PH0201", "PH0301", "PH0302"]), "\(over.stdout)")
            #expect(over.stdout.contains("resolves to prometheus.default.svc.cluster.local"))

            let sarif = try PortholeBinary.run(["check", "--kubeconfig", lab.kubeconfigPath, "-f", manifests, "--format", "sarif"], harness: harness)
            #expect(sarif.stdout.contains("\"version\": \"2.1.0\""), "\(sarif)")
            #expect(sarif.stdout.contains("\"ruleId\": \"PH0302\""))

            // A suppression with a reason keeps the finding, marked, and no longer fails the run on it.
            let suppressed = try PortholeBinary.run(["check", "--kubeconfig", lab.kubeconfigPath, "-f", manifests,
                                                     "--suppress", "PH0201,PH0301,PH0302,PH0406 reason=replaying the notes"], harness: harness)
            #expect(suppressed.stdout.contains("SUPPRESSED"), "\(suppressed)")
            #expect(suppressed.stdout.contains("replaying the notes"))
        }

        @Test func theNotesLoadBalancerEditIsReportedAsHandWrittenStatus() throws {
            var options = LabOptions(scenario: "notes")
            options.useRealPrometheus = false
            options.waitForOtherLab = 240
            let lab = try LabInstance.start(options, logger: Logger(label: "lab"))
            defer { lab.stop() }
            let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
            defer { harness.cleanup() }
            // The notes' edit, with the lab's stand-in for 203.195.219.185: type LoadBalancer and a status by hand.
            let edit = """
            apiVersion: v1
            kind: Service
            metadata: {name: prometheus, namespace: istio-system, labels: {app: prometheus}}
            spec:
              type: LoadBalancer
              selector: {app: prometheus}
              ports: [{name: http-prometheus, port: 9090, targetPort: 9090, protocol: TCP}]
            status:
              loadBalancer:
                ingress: [{ip: 127.195.219.185}]
            """
            let applied = try harness.run(["apply", "-f", "-"], stdin: edit)
            #expect(applied.exitCode == 0, "\(applied)")
            let shown = try harness.run(["get", "svc", "prometheus", "-n", "istio-system", "-o", "jsonpath={.status.loadBalancer.ingress[*].ip}"])
            #expect(shown.stdout.isEmpty, "the API server drops status written through the main resource")

            let check = try PortholeBinary.run(["check", "--kubeconfig", lab.kubeconfigPath], harness: harness)
            #expect(Self.codes(check.stdout).contains("PH0101"), "\(check.stdout)")
            #expect(check.stdout.contains("127.195.219.185"))
            #expect(Self.codes(check.stdout).contains("PH0404") || Self.codes(check.stdout).contains("PH0403"),
                    "the pool holds only the node's address, already taken: \(check.stdout)")

            let plan = try PortholeBinary.run(["plan", "--kubeconfig", lab.kubeconfigPath], harness: harness)
            #expect(plan.stdout.contains("Try first: porthole --playbook"), "\(plan)")
        }
    }
}
