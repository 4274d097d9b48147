import Foundation
import Testing
import PortholeLab
import PortholeTestSupport

extension LabTests {
/// Client-address filters end to end: the real binary against the lab, which enforces loadBalancerSourceRanges
/// (kube-proxy) and ingress-nginx allow-lists, with real kubectl. The operator connects from 127.0.0.1.
@Suite struct SourceRangeRunTests {
    /// Prometheus's LoadBalancer Service admits only 198.51.100.7/32: the load-balancer address times out for the
    /// operator and the run names the cause (PH0112), not an unannounced address.
    @Test func rangesExcludingTheOperatorAreNamedWhenTheLoadBalancerAddressTimesOut() throws {
        let lab = try LabFixture.start("metallb-crds+prometheus-lb-source-ranges")
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(["--playbook", "loadbalancer-metallb", "--kubeconfig", lab.kubeconfigPath], harness: harness, timeout: 180)
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("PH0112") && r.stdout.contains("198.51.100.7/32"), "\(r)")
        #expect(!r.stdout.contains("[PH0406]"), "the address is announced; the filter drops the operator: \(r)")
        #expect(lab.requestLog.writes.isEmpty, "a run without consent wrote: \(lab.requestLog.writes)")
    }

    /// `--var operatorCIDR` on an ingress-nginx controller with externalTrafficPolicy Cluster: nginx would see a node's
    /// address, so porthole writes no allow-list (it would lock the operator out), says why (PH0704), and still
    /// reaches Prometheus.
    @Test func noAllowListIsWrittenWhereNginxSeesTheNodesAddress() throws {
        let lab = try LabFixture.start("ingress-nginx")
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(["--playbook", "nginx-ingress", "--yes", "--var", "operatorCIDR=127.0.0.1/32", "--kubeconfig", lab.kubeconfigPath],
                                       harness: harness, timeout: 180)
        #expect(r.stdout.contains("PH0704") && r.stdout.contains("externalTrafficPolicy"), "\(r)")
        #expect(r.stdout.contains("Prometheus answers at"), "\(r)")
        let annotations = try harness.run(["get", "ingress", "-A", "-o", "jsonpath={.items[*].metadata.annotations}"]).stdout
        #expect(!annotations.contains("source-range"), "\(annotations)")
    }
}
}
