import Foundation
import PortholeKube

/// Istio's sidecar injector: a mutating step on pod creation only, so a namespace label change
/// affects pods created later, never the running ones.
struct SidecarInjector: AdmissionPlugin {
    let istioVersion: String

    func admit(_ op: AdmissionOperation, ref: ObjectRef, object: JSONValue, old: JSONValue?, store: ObjectStore) throws -> JSONValue {
        guard op == .create, ref.key == Kinds.pods, Self.wantsSidecar(object, store: store), !MeshPolicy.hasSidecar(object) else { return object }
        var pod = object
        var meta = pod["metadata"]?.objectValue ?? [:]
        var labels = meta["labels"]?.objectValue ?? [:]
        labels["security.istio.io/tlsMode"] = "istio"
        labels["service.istio.io/canonical-name"] = .string(object.labels["app"] ?? ref.name)
        meta["labels"] = .object(labels)
        var annotations = meta["annotations"]?.objectValue ?? [:]
        annotations["sidecar.istio.io/status"] = #"{"containers":["istio-proxy"],"initContainers":["istio-init"]}"#
        meta["annotations"] = .object(annotations)
        pod["metadata"] = .object(meta)
        var containers = pod.spec["containers"]?.array ?? []
        containers.append(["name": "istio-proxy", "image": .string("docker.io/istio/proxyv2:\(istioVersion)"),
                           "args": ["proxy", "sidecar"], "ports": [["containerPort": 15090, "name": "http-envoy-prom", "protocol": "TCP"]]])
        pod["spec"]?["containers"] = .array(containers)
        return pod
    }

    /// `istio-injection=enabled` on the namespace (or `istio.io/rev`), unless the pod opts out.
    static func wantsSidecar(_ pod: JSONValue, store: ObjectStore) -> Bool {
        if pod.annotations["sidecar.istio.io/inject"] == "false" || pod.labels["sidecar.istio.io/inject"] == "false" { return false }
        if pod.labels["sidecar.istio.io/inject"] == "true" { return true }
        let ns = store.get(ObjectRef(Kinds.namespaces, namespace: "", name: pod.namespace))
        let labels = ns?.labels ?? [:]
        return labels["istio-injection"] == "enabled" || (labels["istio-injection"] == nil && labels["istio.io/rev"] != nil)
    }
}

/// Istio's validating webhook (`validation.istio.io`), present only on installs that validate:
/// a VirtualService whose regex RE2 cannot compile is refused before it is stored.
struct IstioValidationWebhook: AdmissionPlugin {
    func admit(_ op: AdmissionOperation, ref: ObjectRef, object: JSONValue, old: JSONValue?, store: ObjectStore) throws -> JSONValue {
        guard op != .delete, ref.key == Kinds.virtualServices else { return object }
        var problems: [String] = []
        for (i, http) in (object.spec["http"]?.array ?? []).enumerated() {
            for m in http["match"]?.array ?? [] {
                for field in ["uri", "scheme", "method", "authority"] {
                    if let r = m[field]?["regex"]?.stringValue, let e = RE2Check.error(r) { problems.append("http[\(i)]: \(field) regex \"\(r)\": \(e)") }
                }
            }
            if (http["route"]?.array ?? []).isEmpty && http["redirect"] == nil && http["directResponse"] == nil {
                problems.append("http[\(i)]: HTTP route, redirect or direct response is required")
            }
        }
        if (object.spec["hosts"]?.strings ?? []).isEmpty { problems.append("virtual service must have at least one host") }
        guard !problems.isEmpty else { return object }
        // The API server renders a webhook denial as 400 with no reason: kubectl prints "Error from server: ...".
        throw AdmissionError(code: 400, reason: "", message: "admission webhook \"validation.istio.io\" denied the request: configuration is invalid: " + problems.joined(separator: ", "))
    }
}
