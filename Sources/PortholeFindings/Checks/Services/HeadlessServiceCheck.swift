import Foundation
import PortholeKube

extension FindingDefinition {
    static let headlessServiceCannotBeExposed = FindingDefinition(
        code: "PH0115", level: .warning, title: "HeadlessServiceCannotBeExposed",
        template: "{service} is headless (clusterIP: None) and {why}: the API server refuses to make it NodePort or LoadBalancer",
        cause: "A headless Service has no virtual IP: DNS answers with the pod addresses and kube-proxy programs nothing for it, so there is nothing to put behind a nodePort or a load-balancer address. The API server rejects type NodePort or LoadBalancer on it (spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services), and a clusterIP cannot change once set. The Prometheus Operator's prometheus-operated is such a Service.",
        fix: "leave {name} as it is and create a second Service of type NodePort (or LoadBalancer) with the same selector and targetPort (kubectl -n {namespace} expose service {name} --name {name}-external --type NodePort), or use kubectl port-forward, which needs no Service address")
}

/// Headless Services asked to take a nodePort or load-balancer address, and a headless Service that is the
/// only way to a Prometheus (so NodePort and LoadBalancer need a second Service).
public enum HeadlessServiceCheck: FindingCheck {
    public static let id = "headless-service-cannot-be-exposed"
    public static var definitions: [FindingDefinition] { [.headlessServiceCannotBeExposed] }

    static func isHeadless(_ svc: Service) -> Bool { svc.object.spec["clusterIP"]?.stringValue == "None" }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        var out: [Finding] = []
        for svc in s.services where isHeadless(svc) {
            var why: String?
            if svc.exposesNodePorts {
                why = "asks for type \(svc.type)"
            } else if s.isLive, PrometheusTargets.isPrometheus(svc),
                      !s.services.contains(where: { $0.namespace == svc.namespace && !isHeadless($0) && PrometheusTargets.isPrometheus($0) }) {
                // Only news when no ordinary Service beside it fronts Prometheus: kube-prometheus-stack ships
                // both, and then the playbooks take the other one.
                why = "it is the only Service in \(svc.namespace) that fronts Prometheus"
            }
            guard let why else { continue }
            out.append(FindingDefinition.headlessServiceCannotBeExposed.make(svc.reference, field: svc.exposesNodePorts ? "spec.type" : "spec.clusterIP", [
                "service": .object(svc.reference), "why": .value(why), "namespace": .value(svc.namespace), "name": .value(svc.name),
            ]))
        }
        return out
    }

    static let operated = """
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus-operated, namespace: monitoring, labels: {operated-prometheus: "true"}}
        spec:
          clusterIP: None
          selector: {app.kubernetes.io/name: prometheus}
          ports: [{name: web, port: 9090, targetPort: web}]
        """

    static let stackService = """
        apiVersion: v1
        kind: Service
        metadata: {name: kps-kube-prometheus-prometheus, namespace: monitoring}
        spec:
          selector: {app.kubernetes.io/name: prometheus}
          ports: [{name: http-web, port: 9090, targetPort: 9090}]
        """

    public static var examples: [CheckExample] {
        [
            CheckExample("the operator's prometheus-operated alone", raises: ["PH0115"], live: true, yaml: operated),
            CheckExample("a manifest making a headless Service NodePort", raises: ["PH0115"],
                         yaml: operated.replacingOccurrences(of: "clusterIP: None", with: "clusterIP: None\n  type: NodePort")),
            CheckExample("prometheus-operated beside kube-prometheus-stack's Service", raises: [], live: true,
                         yaml: operated + "\n---\n" + stackService),
            CheckExample("prometheus-operated in offline manifests", raises: [], yaml: operated),
            CheckExample("a headless Service that is not Prometheus", raises: [], live: true, yaml: """
                apiVersion: v1
                kind: Service
                metadata: {name: cassandra, namespace: db}
                spec:
                  clusterIP: None
                  selector: {app: cassandra}
                  ports: [{port: 9042}]
                """),
        ]
    }
}
