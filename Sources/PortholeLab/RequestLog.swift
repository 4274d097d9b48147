import Foundation

/// Every request the lab's API server answered, in order. Thread-safe.
///
/// Tests read it to prove what kubectl did: e.g. the consent audit checks that no write happened.
public final class RequestLog: @unchecked Sendable {
    /// One API request as the server saw it.
    public struct Entry: Sendable, Equatable {
        public var method: String
        public var path: String
        /// The raw query string, without `?`.
        public var query: String
        /// The request's Content-Type ("" when none).
        public var contentType: String
        /// The HTTP status answered (101 for upgrades, 200 for watches).
        public var status: Int

        /// True for a request that can change cluster state: POST, PUT, PATCH, DELETE, except port-forward,
        /// `kubectl auth can-i` reviews and server-side dry runs (`dryRun=All`), which change nothing.
        public var isWrite: Bool {
            ["POST", "PUT", "PATCH", "DELETE"].contains(method) && !path.hasSuffix("/portforward")
                && !path.hasSuffix("/selfsubjectaccessreviews") && !isDryRun
        }

        /// A server-side dry run: admission ran, nothing was stored.
        public var isDryRun: Bool { query.split(separator: "&").contains("dryRun=All") }
    }

    private let lock = NSLock()
    private var items: [Entry] = []

    public init() {}

    public func record(_ e: Entry) {
        lock.lock(); items.append(e); lock.unlock()
    }

    /// A copy of every entry so far.
    public var entries: [Entry] {
        lock.lock(); defer { lock.unlock() }
        return items
    }

    /// The writes so far (see `Entry.isWrite`).
    public var writes: [Entry] { entries.filter(\.isWrite) }

    public func clear() {
        lock.lock(); items.removeAll(); lock.unlock()
    }
}
