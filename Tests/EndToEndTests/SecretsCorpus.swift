import Foundation
import PortholeKube
import PortholeLab

/// Planted secrets: each value must never appear in anything porthole writes (stdout, stderr, JSON,
/// transcript, journal, debug logs), neither as is nor base64-encoded.
enum SecretsCorpus {
    static let annotationPassword = "annot-pw-7731QX"
    static let urlPassword = "url-pw-88213QX"
    static let secretData = "secret-data-5521QX"
    static let secretStringData = "string-data-6642QX"
    static let argPassword = "arg-pw-40417QX"
    static let kubeconfigToken = "kubeconfig-token-99120QX"
    static let headerToken = "header-token-66012345QX"
    static let basicPassword = "basic-pw-31337QX"
    static let inputPassword = "input-pw-24680QX"
    static let configMapPassword = "cm-pw-1357QX"

    static let all = [annotationPassword, urlPassword, secretData, secretStringData, argPassword, kubeconfigToken,
                      headerToken, basicPassword, inputPassword, configMapPassword]

    /// Every planted value, and its base64 form (how Secret data travels).
    static var forms: [String] { all + all.map { Data($0.utf8).base64EncodedString() } }

    /// The planted values found in `text` (empty when nothing leaked).
    static func leaks(in text: String) -> [String] { forms.filter { text.contains($0) } }

    /// Each leak with the text around it, to see which rule missed.
    static func contexts(in text: String) -> [String] {
        leaks(in: text).compactMap { v in
            text.range(of: v).map { r in
                let from = text.index(r.lowerBound, offsetBy: -90, limitedBy: text.startIndex) ?? text.startIndex
                let to = text.index(r.upperBound, offsetBy: 30, limitedBy: text.endIndex) ?? text.endIndex
                return "…\(text[from..<to])…"
            }
        }
    }

    /// Plants the cluster side in a running lab: annotations, a Secret, container args, a ConfigMap.
    static func plant(in lab: LabInstance) {
        let services = ResourceKey(group: "", resource: "services")
        let ref = ObjectRef(services, namespace: "istio-system", name: "prometheus")
        if var svc = lab.store.get(ref) {
            var meta = svc["metadata"] ?? [:]
            var annotations = meta["annotations"] ?? [:]
            annotations["example.com/db-password"] = .string(annotationPassword)
            annotations["example.com/backend"] = .string("postgres://metrics:\(urlPassword)@db.example:5432/metrics")
            meta["annotations"] = annotations
            svc["metadata"] = meta
            _ = lab.store.put(ref, svc)
        }
        _ = lab.store.put(ObjectRef(ResourceKey(group: "", resource: "secrets"), namespace: "istio-system", name: "planted"), [
            "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": ["name": "planted", "namespace": "istio-system", "uid": "0f6c1f0e-0000-4000-8000-000000000001",
                         "resourceVersion": "1", "creationTimestamp": "2026-01-01T00:00:00Z"],
            "data": ["api-key": .string(Data(secretData.utf8).base64EncodedString()),
                     "other": .string(Data(secretStringData.utf8).base64EncodedString())],
        ])
        _ = lab.store.put(ObjectRef(ResourceKey(group: "", resource: "configmaps"), namespace: "istio-system", name: "planted-config"), [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": "planted-config", "namespace": "istio-system", "uid": "0f6c1f0e-0000-4000-8000-000000000002",
                         "resourceVersion": "1", "creationTimestamp": "2026-01-01T00:00:00Z"],
            "data": ["settings.yaml": .string("remote_write:\n  basic_auth:\n    username: metrics\n    password: \(configMapPassword)\n")],
        ])
        let podsKey = ResourceKey(group: "", resource: "pods")
        for p in lab.store.list(podsKey, namespace: "istio-system") {
            guard let name = p["metadata"]?["name"]?.stringValue, name.hasPrefix("prometheus") else { continue }
            var pod = p
            guard var spec = pod["spec"], case .array(var containers)? = spec["containers"], !containers.isEmpty else { continue }
            containers[0]["args"] = .array(["--storage.tsdb.retention.time=6h", .string("--remote.password=\(argPassword)")])
            spec["containers"] = .array(containers)
            pod["spec"] = spec
            _ = lab.store.put(ObjectRef(podsKey, namespace: "istio-system", name: name), pod)
        }
    }

    /// A kubeconfig for the lab that authenticates with a planted bearer token.
    static func kubeconfig(server: String, in dir: String) throws -> String {
        let path = "\(dir)/secret-kubeconfig.yaml"
        try """
        apiVersion: v1
        kind: Config
        clusters: [{name: lab, cluster: {server: "\(server)"}}]
        contexts: [{name: lab, context: {cluster: lab, user: planted, namespace: istio-system}}]
        users: [{name: planted, user: {token: \(kubeconfigToken)}}]
        current-context: lab
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
