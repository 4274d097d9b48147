import Foundation
import Testing
import PortholeLab
import PortholeNet
import PortholeTestSupport

extension LabTests {
/// Real-world shapes of the Prometheus Service the shipped scenarios do not have: the operator's headless
/// `prometheus-operated` (named targetPort `web`), run with the real binary and kubectl against the lab.
@Suite struct ServiceShapeTests {
    /// `scenario` with a headless `prometheus-operated` beside its Prometheus, as the Prometheus Operator makes
    /// it: `clusterIP: None`, port `web` -> the pod's container port named `web`.
    static func withOperatedService(_ scenario: String, podPorts: String) throws -> String {
        var s = try LabFixture.text(scenario)
        s = s.replacingOccurrences(of: podPorts, with: "ports: [{name: web, containerPort: 9090}]")
        s += """

        ---
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus-operated, namespace: istio-system, labels: {operated-prometheus: "true"}}
        spec:
          clusterIP: None
          selector: {app.kubernetes.io/name: prometheus}
          ports: [{name: web, port: 9090, targetPort: web, protocol: TCP}]

        """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-operated-\(scenario)-\(getpid())-\(UUID().uuidString.prefix(6)).yaml").path
        try s.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let cases = [("istio-helm", "nodeport"), ("metallb-crds", "loadbalancer-metallb")]

    /// Without consent the run stops before any patch: the headless Service is named (PH0115) and the proposed
    /// fix is a second Service beside it, not the patch the API server would refuse.
    @Test(arguments: cases)
    func aHeadlessServiceIsNamedBeforeAnyPatch(scenario: String, playbook: String) throws {
        let lab = try LabFixture.start(file: try Self.withOperatedService(scenario, podPorts: "ports: [{containerPort: 9090}]"))
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(["--playbook", playbook, "--var", "service=prometheus-operated", "--kubeconfig", lab.kubeconfigPath],
                                       harness: harness, timeout: 180)
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("istio-system/prometheus-operated is headless (clusterIP: None)"), "\(r)")
        #expect(r.stdout.contains("[PH0115]"), "\(r)")
        #expect(r.stdout.contains("Create Service istio-system/prometheus-operated-external beside the headless prometheus-operated"), "\(r)")
        #expect(!r.stdout.contains("may not be set to 'None'"), "porthole must not try the patch: \(r)")
        #expect(lab.requestLog.writes.isEmpty, "a run without consent wrote: \(lab.requestLog.writes)")
    }

    /// With consent porthole creates `prometheus-operated-external` (same selector, targetPort `web`), makes that
    /// one NodePort, and Prometheus answers through it; the headless Service is untouched. The lab refuses the
    /// patch on the headless Service itself with the real server's words.
    @Test func theNodePortPlaybookReachesPrometheusBesideAHeadlessService() throws {
        let lab = try LabFixture.start(file: try Self.withOperatedService("istio-helm", podPorts: "ports: [{containerPort: 9090}]"))
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(["--playbook", "nodeport", "--yes", "--var", "service=prometheus-operated", "--kubeconfig", lab.kubeconfigPath],
                                       harness: harness, timeout: 180)
        #expect(r.exitCode == 0, "\(r)")
        #expect(r.stdout.contains("Prometheus answers at"), "\(r)")
        let beside = try harness.run(["get", "svc", "prometheus-operated-external", "-n", "istio-system",
                                      "-o", "jsonpath={.spec.type} {.spec.ports[0].targetPort} {.spec.selector}"])
        #expect(beside.stdout.hasPrefix("NodePort web "), "\(beside)")
        #expect(beside.stdout.contains("app.kubernetes.io/name"), "\(beside)")
        let headless = try harness.run(["get", "svc", "prometheus-operated", "-n", "istio-system", "-o", "jsonpath={.spec.type} {.spec.clusterIP}"])
        #expect(headless.stdout == "ClusterIP None", "\(headless)")
        let refused = try harness.run(["patch", "svc", "prometheus-operated", "-n", "istio-system", "--type=merge", "-p", #"{"spec":{"type":"NodePort"}}"#])
        #expect(refused.stderr.contains(#"spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services"#), "\(refused)")
    }

    /// A `prometheus-operated-external` that is somebody else's (Grafana's selector and port) is neither taken nor
    /// changed, even with --yes: the step names the conflict and offers no fix.
    @Test func aServiceOfTheSameNameThatIsNotLikeItIsLeftAlone() throws {
        var text = try String(contentsOfFile: try Self.withOperatedService("istio-helm", podPorts: "ports: [{containerPort: 9090}]"), encoding: .utf8)
        text += """
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: prometheus-operated-external, namespace: istio-system}
            spec:
              selector: {app: grafana}
              ports: [{name: http, port: 9090, targetPort: 3000, protocol: TCP}]

            """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-operated-taken-\(getpid())-\(UUID().uuidString.prefix(6)).yaml").path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let lab = try LabFixture.start(file: file)
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(["--playbook", "nodeport", "--yes", "--var", "service=prometheus-operated", "--kubeconfig", lab.kubeconfigPath],
                                       harness: harness, timeout: 180)
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("already exists") && r.stdout.contains(#"{"app":"grafana"}"#), "\(r.stdout)")
        #expect(lab.requestLog.writes.isEmpty, "porthole changed somebody else's Service: \(lab.requestLog.writes)")
        let other = try harness.run(["get", "svc", "prometheus-operated-external", "-n", "istio-system", "-o", "jsonpath={.spec.type}"])
        #expect(other.stdout == "ClusterIP", "\(other)")
    }

    /// istio-helm with its Prometheus Service's lines replaced (`replacements`: written -> new).
    static func istioHelm(_ replacements: [(String, String)]) throws -> String {
        var s = try LabFixture.text("istio-helm")
        for (from, to) in replacements {
            #expect(s.contains(from), "istio-helm no longer has \(from)")
            s = s.replacingOccurrences(of: from, with: to)
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-shape-\(getpid())-\(UUID().uuidString.prefix(6)).yaml").path
        try s.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let servicePort = "    - {name: http, port: 9090, targetPort: 9090, protocol: TCP}"
    static let podPorts = "ports: [{containerPort: 9090}]"
    static let selector = "  selector: {app.kubernetes.io/name: prometheus}"

    func run(_ playbook: String, scenario: String, yes: Bool = false) throws -> (CommandOutcome, LabInstance, KubectlHarness) {
        let lab = try LabFixture.start(file: scenario)
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        let r = try PortholeBinary.run(["--playbook", playbook] + (yes ? ["--yes"] : []) + ["--kubeconfig", lab.kubeconfigPath],
                                       harness: harness, timeout: 180)
        return (r, lab, harness)
    }

    /// `targetPort: web` resolved through the pod's container port named `web`, as kube-proxy does: Prometheus
    /// answers through the nodePort.
    @Test func aNamedTargetPortTheContainerDeclaresReachesPrometheus() throws {
        let scenario = try Self.istioHelm([(Self.servicePort, "    - {name: http, port: 9090, targetPort: web, protocol: TCP}"),
                                           (Self.podPorts, "ports: [{name: web, containerPort: 9090}]")])
        let (r, lab, harness) = try run("nodeport", scenario: scenario, yes: true)
        defer { lab.stop(); harness.cleanup() }
        #expect(r.exitCode == 0 && r.stdout.contains("Prometheus answers at"), "\(r)")
        let eps = try harness.run(["get", "endpoints", "prometheus", "-n", "istio-system", "-o", "jsonpath={.subsets[0].ports[0].port}"])
        #expect(eps.stdout == "9090", "\(eps)")
    }

    /// A port name is resolved through the Service's own pods only: another pod that declares `web` on 8080
    /// (listed first) changes nothing.
    @Test func aNamedTargetPortIsResolvedThroughTheServicesOwnPods() throws {
        let path = try Self.istioHelm([(Self.servicePort, "    - {name: http, port: 9090, targetPort: web, protocol: TCP}"),
                                       (Self.podPorts, "ports: [{name: web, containerPort: 9090}]")])
        let other = """

            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: aaa-webapp, namespace: default, labels: {app: webapp}}
            spec:
              containers:
                - name: web
                  image: nginx:1.27
                  ports: [{name: web, containerPort: 8080}]

            """
        try (try String(contentsOfFile: path, encoding: .utf8) + other).write(toFile: path, atomically: true, encoding: .utf8)
        let (r, lab, harness) = try run("nodeport", scenario: path, yes: true)
        defer { lab.stop(); harness.cleanup() }
        #expect(r.exitCode == 0 && r.stdout.contains("Prometheus answers at"), "\(r)")
    }

    /// `targetPort: web` where no container declares a port named `web`: the endpoints controller lists no
    /// endpoint, the lab refuses the nodePort and Envoy answers 503 no healthy upstream, and every playbook names
    /// the missing port name up front instead of blaming Prometheus' readiness.
    @Test(arguments: ["nodeport", "istio-gateway", "port-forward"])
    func aNamedTargetPortNoContainerDeclaresIsNamed(playbook: String) throws {
        let scenario = try Self.istioHelm([(Self.servicePort, "    - {name: http, port: 9090, targetPort: web, protocol: TCP}")])
        let (r, lab, harness) = try run(playbook, scenario: scenario)
        defer { lab.stop(); harness.cleanup() }
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("has no endpoint because of the Service itself"), "\(r)")
        #expect(r.stdout.contains("sends to web on pod istio-system/prometheus-7c8d9b6f5-tq9zr, where no container declares a port named web"), "\(r)")
        #expect(!r.stdout.contains("so no Prometheus pod is ready"), "\(r)")
        let eps = try harness.run(["get", "endpoints", "prometheus", "-n", "istio-system", "-o", "jsonpath={.subsets}"])
        #expect(eps.stdout == "" || eps.stdout == "[]", "no endpoint for an unresolved port name: \(eps)")
    }

    /// The same Service made NodePort by hand: the nodePort is refused (kube-proxy rejects a Service without
    /// endpoints), not answered by Prometheus on the port's number.
    @Test func aNodePortWithAnUnresolvedTargetPortIsRefused() throws {
        let scenario = try Self.istioHelm([(Self.servicePort, "    - {name: http, port: 9090, targetPort: web, nodePort: 31990, protocol: TCP}"),
                                           ("  type: ClusterIP\n" + Self.selector, "  type: NodePort\n" + Self.selector)])
        let (r, lab, harness) = try run("nodeport", scenario: scenario)
        defer { lab.stop(); harness.cleanup() }
        #expect(r.exitCode == 1, "\(r)")
        let node = try #require(lab.topology.nodes.first?.internalIP)
        #expect(throws: NetError.refused, "an unresolved targetPort must not reach Prometheus") {
            try HTTPClient.send(HTTPRequest(method: "GET", target: "/-/ready"), host: node, port: 31990, connectTimeout: 2, timeout: 2)
        }
    }

    /// A selector with a typo matches no pod: the playbooks say so (PH0104), not that Prometheus is not ready.
    @Test(arguments: ["nodeport", "port-forward"])
    func aSelectorMatchingNoPodIsNamed(playbook: String) throws {
        let scenario = try Self.istioHelm([(Self.selector, "  selector: {app.kubernetes.io/name: promethues}")])
        let (r, lab, harness) = try run(playbook, scenario: scenario)
        defer { lab.stop(); harness.cleanup() }
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("has no endpoint because of the Service itself"), "\(r)")
        #expect(r.stdout.contains("selects app.kubernetes.io/name=promethues but no pod in namespace istio-system has these labels"), "\(r)")
        #expect(!r.stdout.contains("so no Prometheus pod is ready"), "\(r)")
    }

    /// Prometheus under `--web.route-prefix=/prometheus`: `/-/ready` is 404 there, so the playbooks take the prefix
    /// from the pod's arguments (PH0116) and probe `/prometheus/-/ready`; the run reaches the goal and says where.
    @Test func aRoutePrefixIsFollowedByTheNodePortPlaybook() throws {
        let scenario = try Self.istioHelm([(Self.podPorts, "args: [--web.route-prefix=/prometheus], " + Self.podPorts)])
        let (r, lab, harness) = try run("nodeport", scenario: scenario, yes: true)
        defer { lab.stop(); harness.cleanup() }
        #expect(r.exitCode == 0, "\(r)")
        #expect(r.stdout.contains("Goal reached: Prometheus answers at http://") && r.stdout.contains("/prometheus/ ("), "\(r)")
        #expect(r.stdout.contains("routePrefix=/prometheus"), "\(r)")
        let check = try PortholeBinary.run(["check", "--kubeconfig", lab.kubeconfigPath], harness: harness)
        #expect(check.stdout.contains("PH0116"), "\(check)")
    }

    /// The same through the Istio gateway with `--web.external-url=http://prometheus.example/prometheus/` (the route
    /// prefix defaults to the URL's path).
    @Test func anExternalURLPathIsFollowedThroughTheIstioGateway() throws {
        let notes = try BackendDiagnosisTests.notes(prometheusArgs: #"["--web.external-url=http://prometheus.example/prometheus/"]"#)
        let (r, lab, harness) = try run("istio-gateway", scenario: notes, yes: true)
        defer { lab.stop(); harness.cleanup() }
        #expect(r.exitCode == 0, "\(r)")
        #expect(r.stdout.contains("/prometheus/ with "), "\(r)")
    }

    /// istio-helm where the only Prometheus Service is the operator's headless `prometheus-operated` (a bare operator
    /// install): `porthole check` names it (PH0115), the playbooks take it with no `--var`, and with consent
    /// porthole puts a Service beside it, reaches Prometheus through it, and `undo` removes exactly that Service.
    @Test(arguments: ["nodeport", "loadbalancer-metallb"])
    func aBareOperatorInstallIsReachedThroughAServiceBesideItsHeadlessService(playbook: String) throws {
        let base = playbook == "nodeport" ? "istio-helm" : "metallb-crds"
        var s = try LabFixture.text(base)
        for (from, to) in [("  - istio-system/prometheus\n", "  - istio-system/prometheus-operated\n"),
                           ("metadata: {name: prometheus, namespace: istio-system, labels: {app.kubernetes.io/name: prometheus, app: prometheus}}\nspec:\n  type: ClusterIP\n",
                            "metadata: {name: prometheus-operated, namespace: istio-system, labels: {operated-prometheus: \"true\"}}\nspec:\n  clusterIP: None\n"),
                           (Self.servicePort, "    - {name: web, port: 9090, targetPort: web, protocol: TCP}"),
                           (Self.podPorts, "ports: [{name: web, containerPort: 9090}]")] {
            #expect(s.contains(from), "\(base) no longer has \(from)")
            s = s.replacingOccurrences(of: from, with: to)
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-operated-only-\(base)-\(getpid()).yaml").path
        try s.write(toFile: path, atomically: true, encoding: .utf8)
        let lab = try LabFixture.start(file: path)
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { lab.stop(); harness.cleanup() }
        let check = try PortholeBinary.run(["check", "--kubeconfig", lab.kubeconfigPath], harness: harness)
        #expect(check.stdout.contains("PH0115") && check.stdout.contains("it is the only Service in istio-system that fronts Prometheus"), "\(check)")
        let cidr = playbook == "nodeport" ? [] : ["--var", "operatorCIDR=127.0.0.1/32"]
        let r = try PortholeBinary.run(["--playbook", playbook, "--yes"] + cidr + ["--kubeconfig", lab.kubeconfigPath],
                                       harness: harness, timeout: 180)
        #expect(r.exitCode == 0, "\(r)")
        #expect(r.stdout.contains("Prometheus is istio-system/prometheus-operated port 9090"), "\(r)")
        #expect(r.stdout.contains("[PH0115]") && r.stdout.contains("Goal reached: Prometheus answers at"), "\(r)")
        let type = try harness.run(["get", "svc", "prometheus-operated-external", "-n", "istio-system", "-o", "jsonpath={.spec.type}"])
        #expect(type.stdout == (playbook == "nodeport" ? "NodePort" : "LoadBalancer"), "\(type)")
        let undo = try PortholeBinary.run(["undo", "--all", "--kubeconfig", lab.kubeconfigPath], harness: harness)
        #expect(undo.exitCode == 0, "\(undo)")
        let gone = try harness.run(["get", "svc", "prometheus-operated-external", "-n", "istio-system"])
        #expect(gone.stderr.contains("NotFound"), "undo deletes the Service porthole put beside: \(gone)")
        let headless = try harness.run(["get", "svc", "prometheus-operated", "-n", "istio-system", "-o", "jsonpath={.spec.clusterIP}"])
        #expect(headless.stdout == "None", "\(headless)")
    }
}
}
