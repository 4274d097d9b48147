import Foundation
import PortholeFindings

/// Points a playbook at the cluster's Prometheus when the operator did not: a playbook's `namespace`,
/// `service` and `port` inputs default to Istio's addon (`istio-system/prometheus:9090`), and many clusters
/// run another (kube-prometheus-stack in `monitoring`, the community chart's `prometheus-server` on port 80).
///
/// Nothing the operator set is changed, and neither is a default that names an existing Service.
public enum PrometheusInputs {
    /// The inputs to run with, and what porthole chose and why (nil when it chose nothing).
    public struct Resolution: Sendable, Hashable {
        public var inputs: [String: String]
        public var note: String?
    }

    public static func resolve(_ playbook: Playbook, given: [String: String], snapshot: ClusterSnapshot) -> Resolution {
        let declared = Dictionary(playbook.inputs.map { ($0.name, $0.defaultValue ?? "") }) { a, _ in a }
        guard let defaultNamespace = declared["namespace"], let defaultService = declared["service"],
              given["namespace"] == nil, given["service"] == nil, snapshot.knows(.service),
              snapshot.service(defaultService, in: defaultNamespace) == nil else { return Resolution(inputs: given, note: nil) }
        let candidates = PrometheusTargets.candidates(snapshot)
        guard let chosen = candidates.first else { return Resolution(inputs: given, note: nil) }
        var inputs = given
        inputs["namespace"] = chosen.namespace
        inputs["service"] = chosen.name
        var port = ""
        if declared["port"] != nil, given["port"] == nil, let p = PrometheusTargets.uiPort(chosen) {
            inputs["port"] = String(p.port)
            port = " port \(p.port)"
        }
        let others = candidates.dropFirst().prefix(3).map { "\($0.namespace)/\($0.name)" }
        let why = candidates.count == 1 ? "the only Service that looks like Prometheus"
            : "the likeliest of the Services that look like Prometheus (also: \(others.joined(separator: ", ")))"
        var note = "Prometheus is \(chosen.namespace)/\(chosen.name)\(port): \(why); \(defaultNamespace)/\(defaultService) does not exist."
        if chosen.object.spec["clusterIP"]?.stringValue == "None" {
            // Taken only when nothing else fronts Prometheus (candidates rank headless last).
            note += " It is headless (clusterIP: None): it cannot become NodePort or LoadBalancer, so those playbooks put an ordinary Service beside it (PH0115)."
        }
        return Resolution(inputs: inputs, note: note)
    }
}
