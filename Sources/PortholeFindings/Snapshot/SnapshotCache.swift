import Foundation

/// Typed views of a snapshot's objects, computed on first use and shared by every check of a run.
///
/// A class so that copies of a snapshot share it; `ClusterSnapshot.objects` replaces it on every change.
/// Guarded by a lock: a snapshot is `Sendable` and may be judged from several threads.
final class SnapshotCache: @unchecked Sendable {
    private let lock = NSLock()
    private var services: [Service]?
    private var pods: [Pod]?
    private var podsByNamespace: [String: [Pod]]?
    private var nodes: [Node]?

    private func memo<T>(_ slot: ReferenceWritableKeyPath<SnapshotCache, T?>, _ make: () -> T) -> T {
        lock.lock()
        if let v = self[keyPath: slot] { lock.unlock(); return v }
        lock.unlock()
        let v = make()
        lock.lock()
        self[keyPath: slot] = v
        lock.unlock()
        return v
    }

    func services(_ s: ClusterSnapshot) -> [Service] { memo(\.services) { s.items(.service).map(Service.init) } }
    func pods(_ s: ClusterSnapshot) -> [Pod] { memo(\.pods) { s.items(.pod).map(Pod.init) } }
    func nodes(_ s: ClusterSnapshot) -> [Node] { memo(\.nodes) { s.items(.node).map(Node.init) } }
    func pods(in namespace: String, _ s: ClusterSnapshot) -> [Pod] {
        memo(\.podsByNamespace) { Dictionary(grouping: pods(s), by: \.namespace) }[namespace] ?? []
    }
}
