import Foundation
import Logging
import Testing
import PortholeLab
import PortholeTestSupport

/// Every shipped playbook runs on a lab scenario it is written for, with the real kubectl and without
/// consent: it finishes (exit 0 or 1) with nothing on stderr, writes nothing and ends with the pending undos.
extension LabTests {
@Suite struct EveryPlaybookTests {
    static let pairs = [
        "notes/port-forward", "notes/nodeport", "notes/ingressgateway-port", "notes/istio-gateway",
        "metallb-crds/loadbalancer-metallb", "ingress-nginx/nginx-ingress", "gateway-api/gateway-api",
    ]

    @Test(arguments: pairs)
    func runsToAnEndWithoutWriting(pair: String) throws {
        let parts = pair.split(separator: "/").map(String.init)
        var options = LabOptions(scenario: parts[0])
        options.useRealPrometheus = false
        options.waitForOtherLab = 240
        let lab = try LabInstance.start(options, logger: Logger(label: "lab"))
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(["--playbook", parts[1], "--kubeconfig", lab.kubeconfigPath], harness: harness, timeout: 120)
        #expect(r.exitCode == 0 || r.exitCode == 1, "\(r)")
        #expect(r.stderr.isEmpty, "\(r)")
        #expect(r.stdout.hasPrefix("porthole: "), "\(r)")
        #expect(r.stdout.contains("\nGoal "), "\(r)")
        #expect(r.stdout.hasSuffix("Pending undos: none.\n"), "\(r)")
        #expect(lab.requestLog.writes.isEmpty, "a run without consent wrote: \(lab.requestLog.writes)")
    }
}
}
