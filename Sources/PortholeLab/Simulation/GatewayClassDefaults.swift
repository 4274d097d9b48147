import Foundation
import PortholeKube

/// What exists around Gateway API controllers on a real cluster: the GatewayClass a controller creates
/// for itself (Istio's `istio`), and the status the Gateway CRD defaults a new Gateway to, which stays
/// as it is when no controller owns its class ("Waiting for controller").
struct GatewayClassDefaults {
    let store: ObjectStore

    /// The CRD's default `status` of a Gateway (gateway-api v1.x standard channel).
    static let waitingStatus: JSONValue = ["conditions": [
        ["type": "Accepted", "status": "Unknown", "reason": "Pending", "message": "Waiting for controller",
         "lastTransitionTime": "1970-01-01T00:00:00Z"],
        ["type": "Programmed", "status": "Unknown", "reason": "Pending", "message": "Waiting for controller",
         "lastTransitionTime": "1970-01-01T00:00:00Z"],
    ]]

    /// Creates the GatewayClass `name` (accepted by `controller`) unless it exists. Returns true when it wrote.
    func ensureClass(_ name: String, controller: String, description: String) -> Bool {
        let ref = ObjectRef(Kinds.gatewayClasses, namespace: "", name: name)
        guard store.get(ref) == nil else { return false }
        let accepted: JSONValue = ["type": "Accepted", "status": "True", "reason": "Accepted",
                                   "message": .string("Handled by \(controller)"), "lastTransitionTime": "1970-01-01T00:00:00Z"]
        store.put(ref, ["apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass",
                        "metadata": ["name": .string(name)],
                        "spec": ["controllerName": .string(controller), "description": .string(description)],
                        "status": ["conditions": [accepted]]])
        return true
    }

    /// Gives every Gateway whose class is not in `owned` and that has no status yet the CRD's default one.
    func waitForController(owned: Set<String>) -> Bool {
        var wrote = false
        for gw in store.list(Kinds.k8sGateways) where !owned.contains(gw.spec["gatewayClassName"]?.stringValue ?? "") {
            guard gw["status"] == nil || gw["status"] == .null || gw["status"] == [:] else { continue }
            var n = gw
            n["status"] = Self.waitingStatus
            store.put(ObjectRef(Kinds.k8sGateways, namespace: gw.namespace, name: gw.name), n)
            wrote = true
        }
        return wrote
    }
}
