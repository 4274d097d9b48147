import Foundation
import PortholeKube

/// Istio's installers (IstioOperator, Helm) own the gateway Service: a hand edit does not last.
///
/// The installed Service is remembered when the simulation starts; an edit made by anyone else is
/// reverted once `revertDelay` has passed (nil: only on an explicit `Simulator.reconcileInstallers()`),
/// and a deleted owned Service is recreated. istioctl and `helm template` installs own nothing.
final class InstallerOwnership: @unchecked Sendable {
    let store: ObjectStore
    private(set) var installed: [ObjectRef: JSONValue] = [:]
    private var driftSince: [ObjectRef: Date] = [:]

    init(store: ObjectStore, topology: LabTopology) {
        self.store = store
        guard let by = topology.components.istio?.installedBy, by == "operator" || by == "helm" else { return }
        for svc in store.list(Kinds.services) where Self.isOwned(svc) {
            installed[MetalLBController.ref(svc)] = svc
        }
    }

    /// The marks an installer leaves on what it owns.
    static func isOwned(_ svc: JSONValue) -> Bool {
        svc.labels["app.kubernetes.io/managed-by"] == "Helm" || svc.labels.keys.contains { $0.hasPrefix("operator.istio.io/") }
    }

    /// Notes a change made by someone other than the simulation; returns true when it is a drift to revert.
    func noteExternalChange(_ ref: ObjectRef, now: Date) -> Bool {
        guard installed[ref] != nil, driftSince[ref] == nil, drifted(ref) else { return false }
        driftSince[ref] = now
        return true
    }

    /// Reverts drifts older than `delay` (all of them when `delay` is nil). Returns true when it wrote.
    func revert(olderThan delay: Double?, now: Date) -> Bool {
        var wrote = false
        for (ref, since) in driftSince where delay == nil || now.timeIntervalSince(since) >= delay! {
            driftSince[ref] = nil
            guard drifted(ref), let original = installed[ref] else { continue }
            var svc = store.get(ref) ?? original
            for key in ["ports", "type", "selector"] { svc["spec"]?[key] = original.spec[key] }
            if store.get(ref) == nil { svc["status"] = .object([:]) }
            store.put(ref, svc)
            wrote = true
        }
        return wrote
    }

    /// Refs with a pending revert, and whether anything is due.
    var hasPendingDrift: Bool { !driftSince.isEmpty }

    private func drifted(_ ref: ObjectRef) -> Bool {
        guard let original = installed[ref] else { return false }
        guard let now = store.get(ref) else { return true }
        return ["ports", "type", "selector"].contains { now.spec[$0] != original.spec[$0] }
    }
}
