import Foundation
import PortholeKube

/// The lab's one rule for a pod's health, shared by the pod controller, the endpoints it writes and
/// the data plane (kube-proxy, Envoy, nginx and port-forward only reach what it calls ready).
///
/// A pod whose stored status *declares trouble* keeps that status: a scenario written from
/// `kubectl get pod -o yaml` of a broken cluster stays broken. Trouble is any of: `status.phase` set and
/// not `Running`; a `Ready` condition that is not `True`; a container status that is not ready, waiting
/// or terminated. Any other pod (no status at all, or a healthy one) is made Running and Ready.
enum PodReadiness {
    /// Whether the stored status declares the pod not running-and-ready.
    static func declaresTrouble(_ pod: JSONValue) -> Bool {
        guard let status = pod["status"], !(status.objectValue ?? [:]).isEmpty else { return false }
        if let phase = status["phase"]?.stringValue, phase != "Running" { return true }
        if let ready = readyCondition(pod), ready != "True" { return true }
        return containerStatuses(pod).contains { c in
            c["ready"]?.boolValue == false || c["state"]?["waiting"] != nil || c["state"]?["terminated"] != nil
        }
    }

    /// Ready as the endpoints controller decides it: the `Ready` condition is `True`. A pod the lab has not
    /// reconciled yet (no condition) is ready unless its status declares trouble, since the lab will make it so.
    static func isReady(_ pod: JSONValue) -> Bool {
        if let ready = readyCondition(pod) { return ready == "True" }
        return !declaresTrouble(pod)
    }

    /// Whether the pod's application containers run (port-forward dials inside the pod: a crashing or
    /// waiting container refuses, while one failing only its readiness probe still answers).
    static func containersRun(_ pod: JSONValue) -> Bool {
        if let phase = pod["status"]?["phase"]?.stringValue, phase != "Running" { return false }
        return !containerStatuses(pod).contains { c in
            c["name"]?.stringValue != "istio-proxy" && (c["state"]?["waiting"] != nil || c["state"]?["terminated"] != nil)
        }
    }

    /// Scheduled: a node is named and no `PodScheduled` condition says otherwise.
    static func isScheduled(_ pod: JSONValue) -> Bool {
        guard pod.spec["nodeName"]?.stringValue != nil else { return false }
        return condition(pod, "PodScheduled")?["status"]?.stringValue != "False"
    }

    static func readyCondition(_ pod: JSONValue) -> String? { condition(pod, "Ready")?["status"]?.stringValue }

    static func condition(_ pod: JSONValue, _ type: String) -> JSONValue? {
        (pod["status"]?["conditions"]?.array ?? []).first { $0["type"]?.stringValue == type }
    }

    static func containerStatuses(_ pod: JSONValue) -> [JSONValue] { pod["status"]?["containerStatuses"]?.array ?? [] }
}
