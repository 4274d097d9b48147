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

    /// The restrict step writes loadBalancerSourceRanges [operatorCIDR]: the operator's own address still reaches
    /// Prometheus on the load-balancer address; another address locks the operator out, and the run says why.
    @Test(arguments: [("127.0.0.1/32", true), ("127.99.99.99/32", false)])
    func theRestrictStepsRangesAreEnforced(cidr: String, reaches: Bool) throws {
        let lab = try LabFixture.start("metallb-crds")
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(["--playbook", "loadbalancer-metallb", "--yes", "--var", "operatorCIDR=\(cidr)", "--kubeconfig", lab.kubeconfigPath],
                                       harness: harness, timeout: 180)
        let ranges = try harness.run(["get", "service", "-n", "istio-system", "prometheus", "-o", "jsonpath={.spec.loadBalancerSourceRanges}"]).stdout
        #expect(ranges.contains(cidr), "\(ranges)")
        if reaches {
            #expect(r.exitCode == 0 && r.stdout.contains("Prometheus answers at"), "\(r)")
        } else {
            #expect(r.exitCode == 1 && r.stdout.contains("[PH0112]"), "\(r)")
        }
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

    /// The controller ConfigMap's global lists apply to an Ingress without its own: nginx answers 403, and the run
    /// names the list and where it lives instead of blaming the Ingress, the route or Prometheus.
    @Test(arguments: [
        ("ingress-nginx+controller-keeps-client-address+controller-global-allow-list", "sets a global\nallow-list (whitelist-source-range: 10.0.0.0/8)", "is outside it"),
        ("ingress-nginx+controller-global-allow-list", "sets a global\nallow-list (whitelist-source-range: 10.0.0.0/8)", "never yours"),
        ("ingress-nginx+controller-keeps-client-address+controller-global-deny-list", "a deny-list applies", "else the key of that name in ConfigMap ingress-nginx/ingress-nginx-controller"),
    ])
    func aControllerWideListIsNamed(scenario: String, names: String, detail: String) throws {
        let lab = try LabFixture.start(scenario)
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(["--playbook", "nginx-ingress", "--yes", "--kubeconfig", lab.kubeconfigPath], harness: harness, timeout: 180)
        let flat = r.stdout.replacingOccurrences(of: "\n", with: " ")
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains(": 403"), "nginx answered 403: \(r.stdout)")
        #expect(flat.contains(names.replacingOccurrences(of: "\n", with: " ")) && flat.contains(detail), "\(r.stdout)")
    }

    func nginxRun(cidr: String) throws -> (CommandOutcome, String) {
        let lab = try LabFixture.start("ingress-nginx+controller-keeps-client-address")
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(["--playbook", "nginx-ingress", "--yes", "--var", "operatorCIDR=\(cidr)", "--kubeconfig", lab.kubeconfigPath],
                                       harness: harness, timeout: 180)
        return (r, try harness.run(["get", "ingress", "-A", "-o", "jsonpath={.items[*].metadata.annotations}"]).stdout)
    }

    /// Local keeps client addresses: the allow-list is written and the operator, whose address it names, gets through.
    @Test func withLocalTrafficPolicyTheAllowListAdmitsTheOperator() throws {
        let (r, annotations) = try nginxRun(cidr: "127.0.0.1/32")
        #expect(r.exitCode == 0 && r.stdout.contains("Prometheus answers at"), "\(r)")
        #expect(annotations.contains("allowlist-source-range"), "\(annotations)")
    }

    /// A CIDR that is not the operator's: nginx answers 403, and the run says it is the allow-list.
    @Test func aWrongCIDRIsDiagnosedAsTheAllowList() throws {
        let (r, _) = try nginxRun(cidr: "127.99.99.99/32")
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("403 Forbidden") && r.stdout.contains("outside the allow-list"), "\(r)")
    }
}
}
