import Foundation
import PortholeKube

extension FindingDefinition {
    static let strictMTLSFromUnmeshedIngress = FindingDefinition(
        code: "PH0504", level: .error, title: "StrictMTLSFromUnmeshedIngress",
        template: "{ingress} sends to {service}, whose pods have a sidecar under STRICT mTLS ({policy}), but the ingress-nginx controller has no sidecar: connections are reset (502)",
        cause: "STRICT PeerAuthentication makes the backend's sidecar accept only Istio mTLS; ingress-nginx outside the mesh sends plain text to pod endpoints.",
        fix: "inject a sidecar into the controller and set nginx.ingress.kubernetes.io/service-upstream: \"true\" and upstream-vhost: {host}, or add a PERMISSIVE PeerAuthentication for the backend's port")
}

/// STRICT mTLS towards a meshed backend from an ingress-nginx controller outside the mesh.
public enum StrictMTLSFromIngressCheck: FindingCheck {
    public static let id = "strict-mtls-from-unmeshed-ingress"
    public static var definitions: [FindingDefinition] { [.strictMTLSFromUnmeshedIngress] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        let controllers = s.ingressNginxPods
        guard !controllers.isEmpty, !controllers.contains(where: \.hasSidecar) else { return [] }
        var out: [Finding] = []
        for ing in s.ingresses {
            for b in ing.backends {
                guard let svc = s.service(b.service, in: ing.namespace) else { continue }
                let pods = s.pods(selectedBy: svc)
                guard let pod = pods.first(where: \.hasSidecar), let policy = strictPolicy(for: pod, s, scope) else { continue }
                out.append(FindingDefinition.strictMTLSFromUnmeshedIngress.make(ing.reference, field: b.field, [
                    "ingress": .object(ing.reference), "service": .object(svc.reference), "policy": .object(policy),
                    "host": .host("\(svc.name).\(svc.namespace).svc.cluster.local"),
                ]))
            }
        }
        return out
    }

    /// The PeerAuthentication in force for `pod` when it is STRICT: workload, then namespace, then mesh-wide.
    static func strictPolicy(for pod: Pod, _ s: ClusterSnapshot, _ scope: CheckScope) -> ObjectReference? {
        let pas = s.peerAuthentications
        let workload = pas.first { $0.namespace == pod.namespace && $0.selector.map { LabelSelector.matches($0, pod.labels) } == true && $0.mode != nil }
        let namespace = pas.first { $0.namespace == pod.namespace && $0.selector == nil && $0.mode != nil }
        let mesh = pas.first { $0.namespace == scope.istioRootNamespace && $0.selector == nil && $0.mode != nil }
        guard let effective = workload ?? namespace ?? mesh, effective.mode == "STRICT" else { return nil }
        return effective.reference
    }

    static func objects(mode: String, controllerSidecar: Bool = false) -> String {
        IngressExamples.join(IngressExamples.controller(sidecar: controllerSidecar), IngressExamples.ingress(namespace: "monitoring"), IngressExamples.meshedPrometheus, """
            apiVersion: security.istio.io/v1beta1
            kind: PeerAuthentication
            metadata: {name: default, namespace: istio-system}
            spec: {mtls: {mode: \(mode)}}
            """)
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("mesh-wide STRICT, controller without sidecar", raises: ["PH0504"], yaml: objects(mode: "STRICT")),
            CheckExample("PERMISSIVE", raises: [], yaml: objects(mode: "PERMISSIVE")),
            CheckExample("controller with a sidecar", raises: [], yaml: objects(mode: "STRICT", controllerSidecar: true)),
        ]
    }
}
