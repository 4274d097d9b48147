import Foundation
import PortholeKube
import PortholeNet

/// The last store events, so a watch that starts from a list's resourceVersion misses nothing
/// that happened between the list and the watch.
final class WatchHistory: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [StoreEvent] = []
    private var watchers: [Int: @Sendable (StoreEvent) -> Void] = [:]
    private var nextID = 0
    private let store: ObjectStore
    private var token: Int?
    static let capacity = 2000

    init(store: ObjectStore) {
        self.store = store
        token = store.subscribe { [weak self] e in self?.record(e) }
    }

    private func record(_ e: StoreEvent) {
        lock.lock()
        events.append(e)
        if events.count > Self.capacity { events.removeFirst(events.count - Self.capacity) }
        let fns = Array(watchers.values)
        lock.unlock()
        for f in fns { f(e) }
    }

    /// Registers `fn` for future events and returns, atomically, the recorded events after `resourceVersion`.
    func register(after resourceVersion: Int, _ fn: @escaping @Sendable (StoreEvent) -> Void) -> (id: Int, replay: [StoreEvent]) {
        lock.lock(); defer { lock.unlock() }
        nextID += 1
        watchers[nextID] = fn
        return (nextID, events.filter { $0.resourceVersion > resourceVersion })
    }

    func unregister(_ id: Int) {
        lock.lock(); watchers[id] = nil; lock.unlock()
    }

    func stop() {
        if let t = token { store.unsubscribe(t) }
        token = nil
    }
}

/// A queue of watch events handed from store threads to the one thread writing the HTTP stream.
private final class EventQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [StoreEvent] = []
    let signal = DispatchSemaphore(value: 0)
    private(set) var closed = false

    func push(_ e: StoreEvent) { lock.lock(); items.append(e); lock.unlock(); signal.signal() }
    func close() { lock.lock(); closed = true; lock.unlock(); signal.signal() }
    func drain() -> [StoreEvent] { lock.lock(); defer { lock.unlock() }; let out = items; items.removeAll(); return out }
    var isClosed: Bool { lock.lock(); defer { lock.unlock() }; return closed }
}

/// `?watch=true`: a chunked stream of `{"type":"ADDED","object":{...}}` lines until timeoutSeconds or the client leaves.
extension APIServer {
    func watch(_ req: HTTPRequest, _ t: ResourceTarget) throws -> (HTTPServerAction, Int) {
        var fieldSelector = req.queryValue("fieldSelector") ?? ""
        if let name = t.name { fieldSelector = (fieldSelector.isEmpty ? "" : fieldSelector + ",") + "metadata.name=\(name)" }
        let filter = try ListFilter(labelSelector: req.queryValue("labelSelector"), fieldSelector: fieldSelector)
        let timeout = Double(req.queryValue("timeoutSeconds") ?? "") ?? 1800
        let rvText = req.queryValue("resourceVersion") ?? ""
        let namespace = t.resource.namespaced ? t.namespace : nil
        let key = t.resource.key
        let asTable = wantsTable(req)
        let includeObject = req.queryValue("includeObject")
        let action: HTTPServerAction = .hijack { [self] conn in
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nCache-Control: no-cache, private\r\nTransfer-Encoding: chunked\r\n\r\n"
            guard (try? conn.write(head)) != nil else { conn.close(); return }
            let queue = EventQueue()
            let since = Int(rvText) ?? 0
            let (id, replay) = history.register(after: since == 0 ? Int.max : since) { e in queue.push(e) }
            defer { history.unregister(id); conn.close() }
            var initial: [StoreEvent] = replay
            if since == 0 {
                // No resourceVersion (or "0"): the current state first, as synthetic ADDED events.
                let rv = store.resourceVersion
                let refs = store.all().filter { $0.key.key == key }
                initial = refs.sorted { ($0.key.namespace, $0.key.name) < ($1.key.namespace, $1.key.name) }
                    .map { StoreEvent(kind: .added, ref: $0.key, object: $0.value, resourceVersion: rv) }
            }
            // A reader notices the client hanging up (kubectl ends a watch by closing the connection).
            let reader = Thread {
                while !queue.isClosed {
                    do { if try conn.read(max: 4096, timeout: 0.5).isEmpty { break } } catch NetError.timeout { continue } catch { break }
                }
                queue.close()
            }
            reader.start()
            let deadline = Date().addingTimeInterval(timeout)
            var pending = initial
            var sentColumns = false
            while true {
                for e in pending where e.ref.key == key && (namespace == nil || e.ref.namespace == namespace) {
                    var obj = present(e.object, t)
                    guard filter.matches(obj) else { continue }
                    if asTable {
                        // `kubectl get -w` asks for Tables: one row per event, the columns only with the first.
                        obj = TableRenderer().table(for: t.resource, version: t.version, objects: [obj], includeObject: includeObject,
                                                    resourceVersion: e.resourceVersion)
                        if sentColumns { obj["columnDefinitions"] = [] }
                        sentColumns = true
                    }
                    let line = JSONValue.object(["type": .string(e.kind.rawValue), "object": obj]).compactJSON + "\n"
                    let bytes = Array(line.utf8)
                    guard (try? conn.write(Array((String(bytes.count, radix: 16) + "\r\n").utf8) + bytes + Array("\r\n".utf8))) != nil else {
                        queue.close(); return
                    }
                }
                if queue.isClosed { break }
                let left = deadline.timeIntervalSinceNow
                if left <= 0 { break }
                _ = queue.signal.wait(timeout: .now() + min(left, 1))
                pending = queue.drain()
            }
            queue.close()
            try? conn.write("0\r\n\r\n")
        }
        return (action, 200)
    }
}
