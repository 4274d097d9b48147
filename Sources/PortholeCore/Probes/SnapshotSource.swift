import Foundation
import PortholeKube

/// kubectl printed something porthole cannot use: names the command, never crashes.
public struct KubectlOutputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var command: [String]
    public var detail: String
    public var description: String { "`\(ShellQuote.join(command))` \(detail)" }
}

/// Takes and keeps the cluster snapshot: at most one discovery call per run (`kubectl get --raw /apis` for the
/// kinds porthole knows, `kubectl api-resources` otherwise),
/// then one batched `kubectl get plural.version.group,... -A -o json` per pass; `invalidate()` after a write.
public actor SnapshotSource {
    let kubectl: Kubectl
    let wanted: [String]
    let timeout: Double
    var discovery: APIResources?
    /// What a partial discovery could not list (empty when discovery was complete).
    var gaps = DiscoveryGaps(stderr: "")
    var current: ObjectSnapshot?
    var inFlight: Task<ObjectSnapshot, Error>?
    /// Set after the one-request discovery proved wrong for this cluster: use `kubectl api-resources`.
    var fullDiscovery = false
    /// How many batched reads were made (tests check batching).
    public private(set) var passes = 0

    /// - Parameter resources: every resource name the playbook's object probes, fix targets and findings checks read.
    /// The resource names this source reads (a diagnosis unites every playbook's).
    public var resources: [String] { wanted }

    public init(kubectl: Kubectl, resources: [String], timeout: Double = 10) {
        self.kubectl = kubectl
        var seen: [String] = []
        for r in resources where !seen.contains(r) { seen.append(r) }
        wanted = seen
        self.timeout = timeout
    }

    /// The current snapshot, taking it when there is none.
    public func snapshot() async throws -> ObjectSnapshot {
        if let c = current { return c }
        // Concurrent readers (probes of one step, playbooks of one diagnosis) share one read in flight:
        // the actor is re-entered while `take` awaits kubectl.
        if let pending = inFlight { return try await pending.value }
        let task = Task { try await self.take() }
        inFlight = task
        defer { inFlight = nil }
        let s = try await task.value
        current = s
        return s
    }

    /// Forgets the snapshot: the next read takes a fresh one (after a write).
    public func invalidate() { current = nil; inFlight = nil }

    func discover() async throws -> APIResources {
        if let d = discovery { return d }
        if !fullDiscovery, KnownResources.covers(wanted), let quick = try await discoverGroups() {
            discovery = quick
            return quick
        }
        let args = ["api-resources", "--request-timeout=\(Int(timeout.rounded(.up)))s"]
        // A little past kubectl's own deadline, so kubectl can say why it gave up (a reset, a stall...).
        let r = try await kubectl.read(args, timeout: timeout + 2)
        if r.exitCode != 0 || r.timedOut {
            let found = DiscoveryGaps(stderr: r.stderrText)
            if found.isEmpty, let env = await kubectl.environmentProblem(r) { throw env }
            // Partial discovery (one aggregated API down) still prints the table; use it when it parses,
            // remembering which groups it lacks.
            if let partial = APIResources.parse(table: r.stdoutText), !partial.all.isEmpty { discovery = partial; gaps = found; return partial }
            if let env = await kubectl.environmentProblem(r) { throw env }
            throw KubectlOutputError(command: kubectl.options.argv(args), detail: "failed: \(trimmedOutput(r.stderrText, limit: 400))")
        }
        guard let d = APIResources.parse(table: r.stdoutText) else {
            throw KubectlOutputError(command: kubectl.options.argv(args), detail: "did not print the resource table expected")
        }
        discovery = d
        return d
    }

    /// One request for the served groups and versions (`get --raw /apis`); nil when it cannot be used.
    func discoverGroups() async throws -> APIResources? {
        // A read like any other: a transient 503 or reset is tried again before it becomes a verdict.
        let r = try await kubectl.read(["get", "--raw", "/apis", "--request-timeout=\(Int(timeout.rounded(.up)))s"], timeout: timeout)
        if r.exitCode != 0 || r.timedOut {
            if let env = await kubectl.environmentProblem(r) { throw env }
            return nil
        }
        guard let list = try? JSONValue.parse(r.stdout) else { return nil }
        return KnownResources.served(groupList: list)
    }

    func take() async throws -> ObjectSnapshot {
        var snap = ObjectSnapshot()
        guard !wanted.isEmpty else { return snap }
        let served = try await discover()
        var byName: [String: APIResource] = [:]
        for w in wanted {
            if let r = served.resolve(w) {
                byName[w] = r
            } else if gaps.mayHide(w) {
                throw EnvironmentError.clusterFailing(server: kubectl.server(gaps.stderr),
                                                      fault: "discovery could not list \(gaps.groupVersions.joined(separator: ", ")), so whether it serves \(w) is unknown",
                                                      detail: trimmedOutput(withoutKlogLines(gaps.stderr), limit: 400))
            } else {
                snap.unserved[w] = "the cluster does not serve \(w)"
            }
        }
        snap.resources = byName
        var names: [String] = []
        for w in wanted { if let q = byName[w]?.qualifiedName, !names.contains(q) { names.append(q) } }
        var items: [JSONValue] = []
        // A kind discovery listed but the server refuses is dropped and the batch retried once per kind.
        while !names.isEmpty {
            let args = ["get", names.joined(separator: ","), "-A", "-o", "json", "--request-timeout=\(Int(timeout.rounded(.up)))s"]
            let argv = kubectl.options.argv(args)
            snap.commands.append(argv)
            passes += 1
            // A little past kubectl's own deadline, so kubectl can say why it gave up (a reset, a stall...).
            let r = try await kubectl.read(args, timeout: timeout + 2)
            if r.exitCode != 0 || r.timedOut {
                if let env = await kubectl.environmentProblem(r) { throw env }
                if !fullDiscovery, discovery != nil, r.stderrText.contains("doesn't have a resource type") {
                    // The group list said a version is served that this kind lacks: walk discovery properly once.
                    fullDiscovery = true
                    discovery = nil
                    return try await take()
                }
                if let bad = names.first(where: { r.stderrText.contains("\"\($0)\"") }) {
                    names.removeAll { $0 == bad }
                    for (w, res) in byName where res.qualifiedName == bad { snap.unserved[w] = "the cluster does not serve \(w)" }
                    continue
                }
                throw KubectlOutputError(command: argv, detail: "failed: \(trimmedOutput(r.stderrText, limit: 400))")
            }
            let list: JSONValue
            do { list = try JSONValue.parse(r.stdout) } catch {
                throw KubectlOutputError(command: argv, detail: "printed output that is not JSON (\(error))")
            }
            guard let its = list["items"]?.arrayValue else {
                throw KubectlOutputError(command: argv, detail: "printed JSON without an `items` list")
            }
            // Secret values never enter porthole's memory of the cluster (nor transcripts): keep their keys only.
            items = its.map(Self.withoutSecretValues)
            break
        }
        for (w, res) in byName where snap.unserved[w] == nil {
            snap.objects[w] = items.filter { o in
                let apiVersion = o["apiVersion"]?.stringValue ?? ""
                let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
                return o["kind"]?.stringValue == res.kind && group == res.group
            }
        }
        return snap
    }

    /// A Secret with every `data`/`stringData` value replaced by a marker; other objects unchanged.
    static func withoutSecretValues(_ o: JSONValue) -> JSONValue {
        guard o["kind"]?.stringValue == "Secret" else { return o }
        var out = o
        for field in ["data", "stringData"] {
            if let d = o[field]?.objectValue { out[field] = .object(d.mapValues { _ in .string("<masked: secret value>") }) }
        }
        if out["metadata"]?["annotations"]?["kubectl.kubernetes.io/last-applied-configuration"] != nil {
            out["metadata"]?["annotations"]?["kubectl.kubernetes.io/last-applied-configuration"] = .string("<masked: secret value>")
        }
        return out
    }
}
