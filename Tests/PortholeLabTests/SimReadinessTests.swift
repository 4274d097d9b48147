import Foundation
import Testing
import PortholeKube
import PortholeNet
import PortholeTestSupport
@testable import PortholeLab

/// A backend that exists but is not Ready: the lab keeps the status a scenario declares, lists the pod under
/// `notReadyAddresses`, and the data plane sends nothing to it (refused, Envoy 503 UH), with real sockets.
@Suite(.serialized) struct SimReadinessTests {
    typealias Lab = DataPlaneNotesTests.Lab
    static let podRef = ObjectRef(Kinds.pods, namespace: "istio-system", name: "prometheus-7d7b9f7844-m6tlb")
    static let endpointsRef = ObjectRef(Kinds.endpoints, namespace: "istio-system", name: "prometheus")

    static let crashLoop: JSONValue = [
        "phase": "Running",
        "conditions": [["type": "Ready", "status": "False", "reason": "ContainersNotReady"]],
        "containerStatuses": [["name": "prometheus", "ready": false, "restartCount": 7,
                               "state": ["waiting": ["reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container"]],
                               "lastState": ["terminated": ["reason": "Error", "exitCode": 1]]]],
    ]
    static let unschedulable: JSONValue = [
        "phase": "Pending",
        "conditions": [["type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                        "message": "0/1 nodes are available: 1 Insufficient memory."]],
    ]
    static let readinessFailing: JSONValue = [
        "phase": "Running",
        "conditions": [["type": "Ready", "status": "False", "reason": "ContainersNotReady"]],
    ]

    /// The notes' lab with Prometheus as a NodePort (30999), so its own Service is reachable from outside.
    static func nodePortLab() throws -> Lab {
        let lab = try Lab()
        lab.edit(DataPlaneNotesTests.prometheusRef) { svc in
            svc["spec"]?["type"] = "NodePort"
            svc["spec"]?["ports"] = [["name": "http-prometheus", "port": 9090, "targetPort": 9090, "nodePort": 30999, "protocol": "TCP"]]
        }
        return lab
    }

    /// Replaces the pod's status as a scenario written from a broken cluster declares it (the pod recreated).
    static func declare(_ status: JSONValue, on lab: Lab, pod ref: ObjectRef = podRef) {
        var pod = lab.store.get(ref)!
        pod["status"] = status
        if status["phase"]?.stringValue == "Pending", var spec = pod["spec"]?.objectValue {
            spec.removeValue(forKey: "nodeName")
            pod["spec"] = .object(spec)
        }
        lab.store.delete(ref)
        lab.store.put(ref, pod)
        lab.sim.settle()
    }

    @Test func aCrashingPrometheusIsKeptAndListedNotReady() throws {
        let lab = try Self.nodePortLab()
        defer { withExtendedLifetime(lab) {} }
        #expect(DataPlaneNotesTests.get(lab.node, 30999, "/-/ready").0 == .status(200), "ready first")
        Self.declare(Self.crashLoop, on: lab)
        let pod = try #require(lab.store.get(Self.podRef))
        #expect(pod["status"]?["containerStatuses"]?[0]?["state"]?["waiting"]?["reason"]?.stringValue == "CrashLoopBackOff")
        #expect(pod["status"]?["containerStatuses"]?[0]?["restartCount"]?.intValue == 7)
        #expect(pod["status"]?["podIP"]?.stringValue != nil, "a running pod has an IP")
        let subset = try #require(lab.store.get(Self.endpointsRef)?["subsets"]?[0])
        #expect(subset["addresses"] == nil)
        #expect(subset["notReadyAddresses"]?[0]?["targetRef"]?["name"]?.stringValue == Self.podRef.name)
        #expect(DataPlaneNotesTests.get(lab.node, 30999, "/-/ready").0 == .refused, "kube-proxy: no ready endpoint")
        #expect((try? lab.sim.connect(namespace: "istio-system", pod: Self.podRef.name, port: 9090)) == nil, "the container is not running")
    }

    @Test func anUnschedulablePodHasNoNodeNoIPAndNoEndpoint() throws {
        let lab = try Self.nodePortLab()
        defer { withExtendedLifetime(lab) {} }
        Self.declare(Self.unschedulable, on: lab)
        let pod = try #require(lab.store.get(Self.podRef))
        #expect(pod["status"]?["phase"]?.stringValue == "Pending")
        #expect(pod["status"]?["podIP"] == nil && pod["spec"]?["nodeName"] == nil)
        #expect(pod["status"]?["conditions"]?[0]?["reason"]?.stringValue == "Unschedulable")
        #expect(lab.store.get(Self.endpointsRef)?["subsets"] == .array([]), "no IP: not even a not-ready address")
        #expect(DataPlaneNotesTests.get(lab.node, 30999, "/-/ready").0 == .refused)
    }

    @Test func aFailingReadinessProbeStillAnswersPortForwardButNotTheService() throws {
        let lab = try Self.nodePortLab()
        defer { withExtendedLifetime(lab) {} }
        Self.declare(Self.readinessFailing, on: lab)
        let pod = try #require(lab.store.get(Self.podRef))
        #expect(pod["status"]?["containerStatuses"]?[0]?["ready"]?.boolValue == false)
        #expect(pod["status"]?["containerStatuses"]?[0]?["state"]?["running"] != nil, "the container runs")
        #expect(DataPlaneNotesTests.get(lab.node, 30999, "/-/ready").0 == .refused)
        let c = try lab.sim.connect(namespace: "istio-system", pod: Self.podRef.name, port: 9090)
        c.close()
    }

    @Test func envoyAnswersNoHealthyUpstreamAndAnUnreadyGatewayIsRefused() throws {
        let lab = try Lab()
        defer { withExtendedLifetime(lab) {} }
        lab.edit(DataPlaneNotesTests.gatewayRef) { svc in
            let ports = svc["spec"]?["ports"]?.arrayValue ?? []
            svc["spec"]?["ports"] = .array(ports + [["name": "prometheus", "nodePort": 31399, "port": 9090, "protocol": "TCP", "targetPort": 9090]])
        }
        lab.apply("""
            {apiVersion: networking.istio.io/v1alpha3, kind: Gateway, metadata: {name: prometheus-gateway, namespace: default},
             spec: {selector: {istio: ingressgateway}, servers: [{port: {number: 9090, name: http, protocol: HTTP}, hosts: ["*"]}]}}
            """)
        lab.apply("{apiVersion: networking.istio.io/v1alpha3, kind: VirtualService, metadata: {name: prometheus, namespace: default}, spec: {hosts: ['*'], gateways: [prometheus-gateway], http: [{route: [{destination: {host: prometheus.istio-system.svc.cluster.local, port: {number: 9090}}}]}]}}")
        #expect(DataPlaneNotesTests.get(lab.node, 31399, "/-/ready").0 == .status(200), "ready first")
        Self.declare(Self.crashLoop, on: lab)
        let (uh, r) = DataPlaneNotesTests.get(lab.node, 31399, "/-/ready")
        #expect(uh == .status(503))
        #expect(r?.bodyText == "no healthy upstream" && r?.headers["server"] == "istio-envoy")
        #expect(r?.headers["x-envoy-upstream-service-time"] == nil, "Envoy's own answer")
        // The same rule for the gateway's own pods: not ready, so its Service has no endpoint either.
        let gatewayPod = ObjectRef(Kinds.pods, namespace: "istio-system", name: "istio-ingressgateway-5c4f8d9b7-8mzqv")
        Self.declare(Self.readinessFailing, on: lab, pod: gatewayPod)
        #expect(DataPlaneNotesTests.get(lab.node, 31399, "/-/ready").0 == .refused)
        #expect(DataPlaneNotesTests.get(lab.node, 31380, "/productpage").0 == .refused)
        #expect(lab.sim.operatorView().contains { $0.port == 31380 && $0.outcome == .refused && $0.detail.contains("no ready endpoints") })
    }

    @Test func ingressNginxAnswers503ForAnUnreadyBackend() throws {
        let lab = try DataPlaneScenarioTests.Lab("ingress-nginx")
        defer { withExtendedLifetime(lab) {} }
        let node = "127.168.30.31"
        lab.apply(DataPlaneScenarioTests.prometheusIngress.replacingOccurrences(of: "NS", with: "istio-system").replacingOccurrences(of: "CLASS", with: "ingressClassName: nginx,"))
        lab.apply("""
        {apiVersion: security.istio.io/v1, kind: PeerAuthentication, metadata: {name: prometheus, namespace: istio-system},
         spec: {selector: {matchLabels: {app: prometheus}}, mtls: {mode: PERMISSIVE}}}
        """)
        #expect(lab.get(node, 30180, "/graph").0 == .status(200), "ready first")
        let ref = ObjectRef(Kinds.pods, namespace: "istio-system", name: "prometheus-6f5b8c7d9-wz5qv")
        var pod = try #require(lab.store.get(ref))
        pod["status"] = Self.crashLoop
        lab.store.put(ref, pod)
        lab.sim.settle()
        let (outcome, r) = lab.get(node, 30180, "/graph")
        #expect(outcome == .status(503) && r?.headers["Server"] == "nginx", "\(outcome)")
    }

    @Test func aPodWithoutStatusOrAHealthyOneRunsAsBefore() throws {
        let lab = try Lab()
        defer { withExtendedLifetime(lab) {} }
        let pod = try #require(lab.store.get(Self.podRef))
        #expect(pod["status"]?["phase"]?.stringValue == "Running")
        #expect(PodReadiness.isReady(pod))
        #expect(lab.store.get(Self.endpointsRef)?["subsets"]?[0]?["addresses"]?[0]?["targetRef"]?["name"]?.stringValue == Self.podRef.name)
        #expect(lab.store.get(Self.endpointsRef)?["subsets"]?[0]?["notReadyAddresses"] == nil)
    }
}

/// The same, as kubectl prints it: READY/STATUS columns, `notReadyAddresses`, the EndpointSlice condition,
/// and kubectl's own refusal to port-forward to a Pending pod.
@Suite(.serialized) struct SimReadinessKubectlTests {
    final class Session {
        let lab: LabInstance
        let k: KubectlHarness
        init(prometheusStatus: String) throws {
            var (text, _) = try SimFixtures.isolated("notes")
            let anchor = "        - {containerPort: 9090, name: http}\n"
            text = text.replacingOccurrences(of: anchor, with: anchor + prometheusStatus)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-readiness-\(UUID().uuidString.prefix(8)).yaml")
            try text.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            lab = try LabInstance.start(LabOptions(scenario: file.path), logger: SimFixtures.logger)
            k = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        }
        deinit { k.cleanup(); lab.stop() }
    }

    static let pending = """
        status:
          phase: Pending
          conditions:
            - {type: PodScheduled, status: "False", reason: Unschedulable, message: "0/1 nodes are available: 1 Insufficient memory."}

        """

    @Test func aCrashLoopShowsInGetPodsAndEndpoints() throws {
        let s = try Session(prometheusStatus: PodStatusFixtures.crashLoop)
        defer { withExtendedLifetime(s) {} }
        let pods = try s.k.run(["-n", "istio-system", "get", "pods"])
        let row = try #require(pods.stdout.split(separator: "\n").first { $0.hasPrefix("prometheus-") }, "\(pods)")
        let cols = row.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        #expect(Array(cols.prefix(4)) == ["prometheus-7d7b9f7844-m6tlb", "0/1", "CrashLoopBackOff", "7"], "\(row)")
        #expect(row.contains("ago)"), "restarts say when the last one ended: \(row)")
        let gateway = try #require(pods.stdout.split(separator: "\n").first { $0.hasPrefix("istio-ingressgateway-") })
        #expect(gateway.contains("1/1") && gateway.contains("Running"), "healthy pods unchanged: \(gateway)")
        let ep = try s.k.run(["-n", "istio-system", "get", "endpoints", "prometheus", "-o", "jsonpath={.subsets[0].notReadyAddresses[0].targetRef.name}|{.subsets[0].addresses}"])
        #expect(ep.stdout == "prometheus-7d7b9f7844-m6tlb|", "\(ep)")
        let table = try s.k.run(["-n", "istio-system", "get", "endpoints", "prometheus"])
        #expect(table.stdout.contains("<none>"), "not-ready addresses are not in the ENDPOINTS column: \(table)")
        let slice = try s.k.run(["-n", "istio-system", "get", "endpointslices", "-l", "kubernetes.io/service-name=prometheus",
                                 "-o", "jsonpath={.items[0].endpoints[0].conditions.ready}"])
        #expect(slice.stdout == "false", "\(slice)")
    }

    @Test func aPendingPodShowsPendingAndRefusesPortForward() throws {
        let s = try Session(prometheusStatus: Self.pending)
        defer { withExtendedLifetime(s) {} }
        let pods = try s.k.run(["-n", "istio-system", "get", "pods", "-o", "wide"])
        let row = try #require(pods.stdout.split(separator: "\n").first { $0.hasPrefix("prometheus-") }, "\(pods)")
        let cols = row.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        #expect(Array(cols.prefix(3)) == ["prometheus-7d7b9f7844-m6tlb", "0/1", "Pending"], "\(row)")
        #expect(cols.filter { $0 == "<none>" }.count >= 2, "no IP, no node: \(row)")
        let pf = try s.k.run(["-n", "istio-system", "port-forward", "pod/prometheus-7d7b9f7844-m6tlb", "0:9090"], timeout: 20)
        #expect(pf.exitCode != 0)
        #expect(pf.stderr.contains("unable to forward port because pod is not running. Current status=Pending"), "\(pf)")
    }
}
