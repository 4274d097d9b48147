import Foundation
import Testing
import PortholeLab
import PortholeNet
import PortholeTestSupport

extension LabTests {
/// externalTrafficPolicy Local on two nodes, end to end: the lab's kube-proxy drops a Local Service's nodePort on
/// the node without a ready local pod (a timeout, like a firewall). Prometheus runs on the node that sorts second.
@Suite struct LocalTrafficPolicyTests {
    static let scenario = "notes+two-nodes-local-prometheus"

    /// The nodeport playbook knocks on the node that runs Prometheus, not on the first node listed, and gets there.
    @Test func theNodePortPlaybookKnocksOnTheNodeThatRunsPrometheus() throws {
        let lab = try LabFixture.start(Self.scenario)
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(["--playbook", "nodeport", "--kubeconfig", lab.kubeconfigPath], harness: harness, timeout: 180)
        #expect(r.exitCode == 0, "\(r)")
        #expect(r.stdout.contains("Node vm-129-204-7-185 runs Prometheus"), "\(r.stdout)")
        #expect(r.stdout.contains(".185:30990/"), "\(r.stdout)")
        #expect(!r.stdout.contains("timed out"), "\(r.stdout)")
    }

    /// With externalTrafficPolicy Cluster every node serves the nodePort: the playbook keeps the first node listed.
    @Test func withClusterPolicyTheFirstNodeServes() throws {
        let lab = try LabFixture.start(Self.scenario)
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let patch = try harness.run(["-n", "istio-system", "patch", "service", "prometheus", "--type=merge", "-p", #"{"spec":{"externalTrafficPolicy":"Cluster"}}"#])
        #expect(patch.exitCode == 0, "\(patch)")
        let r = try PortholeBinary.run(["--playbook", "nodeport", "--kubeconfig", lab.kubeconfigPath], harness: harness, timeout: 180)
        #expect(r.exitCode == 0, "\(r)")
        #expect(r.stdout.contains("Node vm-129-204-7-184 has external address"), "\(r.stdout)")
        #expect(r.stdout.contains(".184:30990/"), "\(r.stdout)")
    }

    /// kube-proxy drops a Local nodePort on a node without a local endpoint only while some node has one: with no
    /// endpoint anywhere it rejects the connection like any Service without endpoints.
    @Test func aLocalNodePortWithNoEndpointAnywhereIsRefusedNotDropped() throws {
        let lab = try LabFixture.start(Self.scenario)
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let address = try harness.run(["get", "node", "vm-129-204-7-184", "-o", #"jsonpath={.status.addresses[?(@.type=="ExternalIP")].address}"#]).stdout
        /// How a connect to the node's nodePort ends: "connected", "refused", "timeout" or another failure.
        func knock() -> String {
            do { try TCPDialer.connect(host: address, port: 30990, timeout: 1).close(); return "connected" } catch let e as NetError {
                if case .timeout = e { return "timeout" }
                return e == .refused ? "refused" : e.description
            } catch { return "\(error)" }
        }
        #expect(knock() == "timeout", "a node without a local endpoint drops the nodePort")
        let deleted = try harness.run(["-n", "istio-system", "delete", "pod", "prometheus-7d7b9f7844-m6tlb", "--wait=false"])
        #expect(deleted.exitCode == 0, "\(deleted)")
        var seen = knock()
        for _ in 0..<40 where seen != "refused" { Thread.sleep(forTimeInterval: 0.1); seen = knock() }
        #expect(seen == "refused", "with no endpoint at all the nodePort is rejected")
    }

    /// A `findings` probe judges what its step's http probe just saw: knocking on the other node times out, and the
    /// check names kube-proxy's Local drop (PH0114) and where the ready pod runs, not a firewall (PH0106).
    @Test func aFindingsProbeNamesTheLocalDropFromItsStepsProbe() throws {
        let lab = try LabFixture.start(Self.scenario)
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let playbook = "\(harness.workDir)/knock-other-node.yaml"
        try Self.knockOtherNode.write(toFile: playbook, atomically: true, encoding: .utf8)
        let r = try PortholeBinary.run(["--playbook", playbook, "--kubeconfig", lab.kubeconfigPath], harness: harness, timeout: 180)
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("GET http://") && r.stdout.contains(".184:30990/-/ready: timeout"), "\(r.stdout)")
        #expect(r.stdout.contains("[PH0114]"), "\(r.stdout)")
        #expect(r.stdout.contains("no ready pod on node vm-129-204-7-184") && r.stdout.contains("ready pods run on vm-129-204-7-185"), "\(r.stdout)")
        #expect(r.stdout.contains("(findings) PH0114, PH0106: PH0114\n"), "only PH0114 is raised: \(r.stdout)")
    }

    /// Knocks on the first node listed (vm-129-204-7-184, which runs no Prometheus) and judges the answer.
    static let knockOtherNode = """
        id: knock-other-node
        title: Knock on a node without Prometheus
        summary: The nodePort of a Local Service on a node that runs no Prometheus pod.
        steps:
          - id: first-node
            title: Find the node that sorts first
            why: Its address is where a hand-written curl would knock.
            probes:
              - id: nodes
                object: {resource: nodes}
            captures:
              - var: address
                probe: nodes
                path: 'items[0].status.addresses[?(@.type=="ExternalIP")].address'
            outcomes:
              - verdict: pass
                message: First node at ${address}.
          - id: knock
            title: Knock on its nodePort and judge what was seen
            why: Only the check, given the probe's timeout, can tell a Local drop from a firewall.
            probes:
              - id: judged
                findings: {codes: [PH0114, PH0106], namespace: istio-system}
              - id: ready
                timeout: 2s
                http: {url: "http://${address}:30990/-/ready"}
            captures:
              - var: why
                probe: judged
                path: 'findings[*].message'
                default: ""
            outcomes:
              - when: {probe: judged, path: 'raised[*]', equals: PH0114}
                verdict: fail
                finding: PH0114
                message: "${why}"
              - verdict: pass
                message: Nothing raised.
        """
}
}
