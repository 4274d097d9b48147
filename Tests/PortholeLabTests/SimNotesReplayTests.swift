import Foundation
import Logging
import Testing
import PortholeKube
import PortholeNet
import PortholeTestSupport
@testable import PortholeLab

/// The notes replayed end to end: `LabInstance` on (an address-shifted copy of) the `notes` scenario,
/// the real kubectl with an isolated KUBECONFIG/KUBECACHEDIR/HOME, and real sockets from outside.
@Suite(.serialized) struct SimNotesReplayTests {
    typealias Outcome = DataPlaneNotesTests.Outcome

    /// Waits for the simulation to catch up with a write kubectl just made (it reconciles right after).
    static func eventually(_ timeout: Double = 3, _ check: () -> Bool) -> Bool {
        Wait.until(timeout: timeout, check)
    }

    @Test func notesReplayedWithKubectl() throws {
        let (text, shift) = try SimFixtures.isolated("notes")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-notes-\(UUID().uuidString.prefix(8)).yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let lab = try LabInstance.start(LabOptions(scenario: file.path), logger: SimFixtures.logger)
        defer { lab.stop() }
        let k = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { k.cleanup() }
        let node = shift("127.204.7.185")
        let lbIP = shift("127.195.219.185")

        let svcs = try k.run(["get", "svc", "-n", "istio-system"])
        #expect(svcs.exitCode == 0, "\(svcs)")
        #expect(svcs.stdout.contains(node), "the gateway got the node's public address from the ConfigMap pool")
        #expect(svcs.stdout.contains("15020:30937/TCP,80:31380/TCP,443:31390/TCP,31400:31400/TCP,15029:30721/TCP,15030:31100/TCP,15031:31773/TCP,15032:30877/TCP,15443:32541/TCP"))
        #expect(DataPlaneNotesTests.get(node, 31380, "/productpage").0 == .status(200))

        // Attempt 1: a Service port alone.
        let patch = try k.run(["-n", "istio-system", "patch", "svc", "istio-ingressgateway", "--type=json", "-p",
                               #"[{"op":"add","path":"/spec/ports/-","value":{"name":"prometheus","nodePort":31399,"port":9090,"protocol":"TCP","targetPort":9090}}]"#])
        #expect(patch.exitCode == 0, "\(patch)")
        #expect(Self.eventually { (try? k.run(["get", "svc", "-n", "istio-system", "istio-ingressgateway"]))?.stdout.contains("9090:31399/TCP") == true })
        #expect(DataPlaneNotesTests.get(node, 31399, "/graph").0 == .refused, "no Gateway server on 9090: no Envoy listener")

        // Attempt 2: the notes' Gateway (port 90) and VirtualService (regex "*", short host), in default.
        let manifests = """
        apiVersion: networking.istio.io/v1alpha3
        kind: Gateway
        metadata:
          name: prometheus-gateway
        spec:
          selector:
            istio: ingressgateway
          servers:
          - port:
              number: 90
              name: http
              protocol: HTTP
            hosts:
            - "*"
        ---
        apiVersion: networking.istio.io/v1alpha3
        kind: VirtualService
        metadata:
          name: prometheus
        spec:
          hosts:
          - "*"
          gateways:
          - prometheus-gateway
          http:
          - match:
            - uri:
                regex: "*"
            route:
            - destination:
                host: prometheus
                port:
                  number: 9090
        """
        let applied = try k.run(["apply", "-f", "-"], stdin: manifests)
        #expect(applied.exitCode == 0, "Istio 1.1 has no validation webhook: accepted. \(applied)")
        Thread.sleep(forTimeInterval: 0.2)
        #expect(DataPlaneNotesTests.get(node, 31399, "/graph").0 == .refused, "the Gateway listens on 90, the Service exposes 9090")

        // Attempt 3: prometheus as a LoadBalancer, status by hand, then the pool.
        #expect(try k.run(["-n", "istio-system", "patch", "svc", "prometheus", "-p", #"{"spec":{"type":"LoadBalancer"}}"#]).exitCode == 0)
        #expect(Self.eventually { (try? k.run(["get", "svc", "-n", "istio-system", "prometheus"]))?.stdout.contains("<pending>") == true })
        let describe = try k.run(["describe", "svc", "-n", "istio-system", "prometheus"])
        #expect(describe.stdout.contains("AllocationFailed") && describe.stdout.contains("no available IPs"), "\(describe)")
        _ = try k.run(["-n", "istio-system", "patch", "svc", "prometheus", "--type=merge", "-p", #"{"status":{"loadBalancer":{"ingress":[{"ip":"\#(lbIP)"}]}}}"#])
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try k.run(["get", "svc", "-n", "istio-system", "prometheus"]).stdout.contains("<pending>"), "status written by hand is dropped")
        let pool = "address-pools:\n- name: default\n  protocol: layer2\n  addresses:\n  - \(node)-\(node)\n  - \(lbIP)-\(lbIP)\n"
        let data = JSONValue.object(["data": .object(["config": .string(pool)])]).compactJSON
        #expect(try k.run(["-n", "metallb-system", "patch", "configmap", "config", "--type=merge", "-p", data]).exitCode == 0)
        #expect(Self.eventually { (try? k.run(["get", "svc", "-n", "istio-system", "prometheus"]))?.stdout.contains(lbIP) == true })
        let np = try k.run(["get", "svc", "-n", "istio-system", "prometheus", "-o", "jsonpath={.spec.ports[0].nodePort}"])
        let nodePort = Int(np.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(nodePort >= 30000, "\(np)")
        #expect(DataPlaneNotesTests.get(lbIP, nodePort, "/graph").0 == .timeout, "LB IP + nodePort, and an IP nobody announces")
        let (ok, r) = DataPlaneNotesTests.get(node, nodePort, "/-/ready")
        #expect(ok == .status(200), "the node's public address + nodePort, open in the security group: \(lab.backendDescription)")
        #expect(r?.headers["server"] != "istio-envoy")
    }

    @Test func shippedScenariosLoadThroughTheRealLoader() throws {
        for name in ["notes", "metallb-crds", "istio-helm", "ingress-nginx", "gateway-api", "cloud-firewall"] {
            let loaded = try ScenarioLoader.load(SimFixtures.scenarioDirectory.appendingPathComponent("\(name).yaml").path)
            #expect(loaded.topology.name == name)
            #expect(!loaded.objects.isEmpty)
        }
    }
}
