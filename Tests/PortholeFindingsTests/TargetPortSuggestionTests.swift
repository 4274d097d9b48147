import Foundation
import Testing
import PortholeKube
@testable import PortholeFindings

/// PH0108's fix names the port of the container that serves, never a sidecar's.
@Suite struct TargetPortSuggestionTests {
    /// A Prometheus Operator pod: the reloader's `reloader-web` sorts before Prometheus's `web`.
    static let operatorPod = """
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus, namespace: monitoring}
        spec:
          type: NodePort
          selector: {app.kubernetes.io/name: prometheus}
          ports: [{name: http, port: 9090, targetPort: http-web, nodePort: 30990}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: prometheus-k8s-0, namespace: monitoring, labels: {app.kubernetes.io/name: prometheus}}
        spec:
          containers:
          - name: config-reloader
            image: quay.io/prometheus-operator/prometheus-config-reloader:v0.75.0
            ports: [{name: reloader-web, containerPort: 8080}]
          - name: prometheus
            image: quay.io/prometheus/prometheus:v2.54.1
            args: [--web.listen-address=0.0.0.0:9090]
            ports: [{name: web, containerPort: 9090}]
        status:
          phase: Running
          conditions: [{type: Ready, status: "True"}]
        """

    @Test func theFixNamesPrometheussPortNotTheReloaders() throws {
        let snapshot = try CheckExample("operator pod", raises: ["PH0108"], live: true, yaml: Self.operatorPod).snapshot()
        let found = TargetPortCheck.run(snapshot, CheckScope()).filter { $0.code == "PH0108" }
        #expect(found.count == 1)
        #expect(found.first?.fix.contains("targetPort to web or its number") == true, "\(found.map(\.fix))")
        #expect(found.first?.fix.contains("reloader") == false, "\(found.map(\.fix))")
    }

    @Test func sidecarsAreRecognised() {
        #expect(TargetPortCheck.isSidecar(["name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.22.3"]))
        #expect(TargetPortCheck.isSidecar(["name": "config-reloader", "image": "quay.io/prometheus-operator/prometheus-config-reloader:v0.75.0"]))
        #expect(!TargetPortCheck.isSidecar(["name": "prometheus", "image": "quay.io/prometheus/prometheus:v2.54.1"]))
    }
}
