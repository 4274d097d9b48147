import Foundation
import Logging
import Testing
import PortholeKube
import PortholeNet
import PortholeTestSupport
@testable import PortholeLab

/// The simulation as kubectl sees it, beyond the notes' main line: port-forward to the real backend,
/// injection labels, Istio's validation webhook, and Helm reverting a hand edit.
@Suite(.serialized) struct SimKubectlTests {
    /// A lab on an address-shifted copy of a shipped scenario, with a kubectl harness.
    final class Session {
        let lab: LabInstance
        let k: KubectlHarness
        let shift: (String) -> String
        init(_ scenario: String) throws {
            let (text, shift) = try SimFixtures.isolated(scenario)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-\(scenario)-\(UUID().uuidString.prefix(8)).yaml")
            try text.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            lab = try LabInstance.start(LabOptions(scenario: file.path), logger: SimFixtures.logger)
            k = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
            self.shift = shift
        }
        deinit { k.cleanup(); lab.stop() }
    }

    @Test func attemptZeroPortForwardReachesPrometheus() throws {
        let s = try Session("notes")
        defer { withExtendedLifetime(s) {} }
        let local = try PrometheusBackend.freePort()
        let pf = try s.k.startBackground(["-n", "istio-system", "port-forward", "pod/prometheus-7d7b9f7844-m6tlb", "\(local):9090"])
        defer { s.k.stop(pf) }
        #expect(s.k.waitForOutput(pf, containing: "Forwarding from 127.0.0.1:\(local)"), "\(pf.output)")
        let r = try HTTPClient.send(HTTPRequest(method: "GET", target: "/api/v1/status/buildinfo"), host: "127.0.0.1", port: local, connectTimeout: 2, timeout: 10)
        #expect(r.status == 200 && r.bodyText.contains("\"version\""), "\(s.lab.backendDescription)")
    }

    @Test func attemptFourInjectionLabelAffectsOnlyNewPods() throws {
        let s = try Session("notes")
        defer { withExtendedLifetime(s) {} }
        #expect(try s.k.run(["label", "namespace", "default", "istio-injection=disabled", "--overwrite"]).exitCode == 0)
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: after-label\n  labels: {app: after}\nspec:\n  containers:\n  - name: app\n    image: nginx\n"
        #expect(try s.k.run(["apply", "-f", "-"], stdin: pod).exitCode == 0)
        let containers = try s.k.run(["get", "pod", "after-label", "-o", "jsonpath={.spec.containers[*].name}"]).stdout
        #expect(containers == "app", "no sidecar for pods created after the label")
        let old = try s.k.run(["get", "pod", "productpage-v1-79d85ff9bd-l6vbr", "-o", "jsonpath={.spec.containers[*].name}"]).stdout
        #expect(old.contains("istio-proxy"), "running pods keep theirs")
        #expect(try s.k.run(["label", "namespace", "default", "istio-injection=enabled", "--overwrite"]).exitCode == 0, "and put back, as the notes worried")
        #expect(try s.k.run(["apply", "-f", "-"], stdin: pod.replacingOccurrences(of: "after-label", with: "after-restore")).exitCode == 0)
        #expect(try s.k.run(["get", "pod", "after-restore", "-o", "jsonpath={.spec.containers[*].name}"]).stdout.contains("istio-proxy"))
    }

    @Test func recentIstioRejectsTheNotesRegex() throws {
        let s = try Session("metallb-crds")
        defer { withExtendedLifetime(s) {} }
        let vs = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: prometheus, namespace: istio-system}
        spec:
          hosts: ["*"]
          gateways: [default/bookinfo-gateway]
          http:
          - match: [{uri: {regex: "*"}}]
            route: [{destination: {host: prometheus, port: {number: 9090}}}]
        """
        let r = try s.k.run(["apply", "-f", "-"], stdin: vs)
        #expect(r.exitCode != 0)
        #expect(r.stderr.contains("admission webhook \"validation.istio.io\" denied the request"), "\(r)")
        let fixed = try s.k.run(["apply", "-f", "-"], stdin: vs.replacingOccurrences(of: "{regex: \"*\"}", with: "{prefix: /}"))
        #expect(fixed.exitCode == 0, "\(fixed)")
        let lb = s.shift("127.168.10.240")
        #expect(SimNotesReplayTests.eventually { DataPlaneNotesTests.get(lb, 80, "/-/ready").0 == .status(200) }, "Prometheus through the LB IP on the LAN")
        // Debian's Prometheus 2.42.0+ds answers /graph with 301 to /graph/; through Envoy it stays Prometheus's answer.
        let (graph, answer) = DataPlaneNotesTests.get(lb, 80, "/graph")
        #expect(graph == .status(200) || (graph == .status(301) && answer?.headers["Location"] == "/graph/"))
        #expect(answer?.headers["x-envoy-upstream-service-time"] != nil)
    }

    @Test func helmRevertsAHandPatch() throws {
        let s = try Session("istio-helm")
        defer { withExtendedLifetime(s) {} }
        let patch = try s.k.run(["-n", "istio-ingress", "patch", "svc", "istio-ingress", "--type=json", "-p",
                                 #"[{"op":"add","path":"/spec/ports/-","value":{"name":"prometheus","port":9090,"targetPort":9090,"protocol":"TCP"}}]"#])
        #expect(patch.exitCode == 0, "\(patch)")
        #expect(try s.k.run(["-n", "istio-ingress", "get", "svc", "istio-ingress"]).stdout.contains("9090:"), "the patch lands")
        #expect(SimNotesReplayTests.eventually(6) { (try? s.k.run(["-n", "istio-ingress", "get", "svc", "istio-ingress"]))?.stdout.contains("9090:") == false },
                "and is gone after the installer's next reconcile")
    }
}
