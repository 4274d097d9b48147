import Foundation
import PortholeKube

/// Istio's installers (IstioOperator, Helm) own the gateway Service: a hand edit does not last.
///
/// The installed Service is remembered when the simulation starts; an edit made by anyone else is
/// reverted once `revertDelay` has passed (nil: only on an explicit `Simulator.reconcileInstallers()`),
/// and a deleted owned Service is recreated. With the in-cluster operator, the lasting way is the
/// `IstioOperator`'s `components.ingressGateways[].k8s.service.ports` overlay: the operator makes the
/// Service follow it. istioctl and `helm template` installs own nothing.
final class InstallerOwnership: @unchecked Sendable {
    static let istioOperators = ResourceKey(group: "install.istio.io", resource: "istiooperators")
    let store: ObjectStore
    let installedBy: String
    private(set) var installed: [ObjectRef: JSONValue] = [:]
    private var driftSince: [ObjectRef: Date] = [:]

    init(store: ObjectStore, topology: LabTopology) {
        self.store = store
        installedBy = topology.components.istio?.installedBy ?? ""
        guard installedBy == "operator" || installedBy == "helm" else { return }
        for svc in store.list(Kinds.services) where Self.isOwned(svc) {
            installed[MetalLBController.ref(svc)] = svc
        }
    }

    /// The marks an installer leaves on what it owns.
    static func isOwned(_ svc: JSONValue) -> Bool {
        svc.labels["app.kubernetes.io/managed-by"] == "Helm" || svc.labels.keys.contains { $0.hasPrefix("operator.istio.io/") }
    }

    /// Notes a change made by someone other than the simulation (to an owned Service, or to an
    /// IstioOperator); returns true when a revert is now pending.
    func noteExternalChange(_ ref: ObjectRef, now: Date) -> Bool {
        let refs = ref.key == Self.istioOperators ? Array(installed.keys) : [ref]
        var pending = false
        for r in refs where installed[r] != nil && driftSince[r] == nil && drifted(r) {
            driftSince[r] = now
            pending = true
        }
        return pending
    }

    /// Reverts drifts older than `delay` (all of them when `delay` is nil). Returns true when it wrote.
    func revert(olderThan delay: Double?, now: Date) -> Bool {
        var wrote = false
        for (ref, since) in driftSince where delay == nil || now.timeIntervalSince(since) >= delay! {
            driftSince[ref] = nil
            guard drifted(ref), let original = installed[ref] else { continue }
            var svc = store.get(ref) ?? original
            let desired = desiredSpec(ref)
            for key in ["ports", "type", "selector"] { svc["spec"]?[key] = desired[key] }
            if let current = store.get(ref)?.spec["ports"]?.array, let ports = desired["ports"]?.array {
                svc["spec"]?["ports"] = .array(ports.map { p in Self.keepNodePort(p, from: current) })
            }
            if store.get(ref) == nil { svc["status"] = .object([:]) }
            store.put(ref, svc)
            wrote = true
        }
        return wrote
    }

    /// The spec fields the installer enforces: as installed, with the IstioOperator's port overlay.
    func desiredSpec(_ ref: ObjectRef) -> JSONValue {
        var spec = installed[ref]?.spec ?? .object([:])
        guard installedBy == "operator" else { return spec }
        for op in store.list(Self.istioOperators) {
            for gw in op.spec["components"]?["ingressGateways"]?.array ?? []
            where (gw["name"]?.stringValue ?? "istio-ingressgateway") == ref.name && (gw["namespace"]?.stringValue ?? "istio-system") == ref.namespace {
                if let ports = gw["k8s"]?["service"]?["ports"], case .array = ports { spec["ports"] = ports }
                if let type = gw["k8s"]?["service"]?["type"] { spec["type"] = type }
            }
        }
        return spec
    }

    private func drifted(_ ref: ObjectRef) -> Bool {
        guard installed[ref] != nil else { return false }
        guard let now = store.get(ref) else { return true }
        let desired = desiredSpec(ref)
        if now.spec["type"] != desired["type"] || now.spec["selector"] != desired["selector"] { return true }
        return !Self.samePorts(now.spec["ports"]?.array ?? [], desired["ports"]?.array ?? [])
    }

    /// Ports match when every field the installer sets is equal; a nodePort it leaves out is the allocator's.
    static func samePorts(_ current: [JSONValue], _ desired: [JSONValue]) -> Bool {
        guard current.count == desired.count else { return false }
        return desired.allSatisfy { d in
            current.contains { c in
                ["name", "port", "targetPort", "nodePort"].allSatisfy { k in d[k] == nil || c[k] == d[k] } &&
                    (c["protocol"]?.stringValue ?? "TCP") == (d["protocol"]?.stringValue ?? "TCP")
            }
        }
    }

    private static func keepNodePort(_ port: JSONValue, from current: [JSONValue]) -> JSONValue {
        guard port["nodePort"] == nil, let same = current.first(where: { $0["port"] == port["port"] }), let np = same["nodePort"] else { return port }
        var p = port
        p["nodePort"] = np
        return p
    }
}
