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
/// When porthole has read this server before, the first batched read starts at once on the groups it served
/// then (`DiscoveryMemory`), concurrently with the discovery that must confirm it.
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

    /// What the cluster served last time, so the batched read can start before discovery answers (nil: no memory).
    let memory: DiscoveryMemory?
    /// How many early reads were started on a remembered group list and then thrown away because discovery disagreed.
    public private(set) var staleGuesses = 0
    /// How many early reads discovery confirmed and the snapshot used.
    public private(set) var earlyReadsUsed = 0

    public init(kubectl: Kubectl, resources: [String], timeout: Double = 10) {
        self.kubectl = kubectl
        var seen: [String] = []
        for r in resources where !seen.contains(r) { seen.append(r) }
        wanted = seen
        self.timeout = timeout
        memory = DiscoveryMemory(kube: kubectl.options, context: kubectl.context)
    }

    /// The current snapshot, taking it when there is none.
    public func snapshot() async throws -> ObjectSnapshot {
        if let c = current { return c }
        // Concurrent readers (probes of one step, playbooks of one diagnosis) share one read in flight:
        // the actor is re-entered while `take` awaits kubectl.
        if let pending = inFlight { return try await Self.awaitCancelling(pending) }
        let task = Task { try await self.take() }
        inFlight = task
        defer { inFlight = nil }
        let s = try await Self.awaitCancelling(task)
        current = s
        return s
    }

    /// Awaits a read running in its own Task and cancels it when the waiter is cancelled (Ctrl-C in a
    /// guided session), so its kubectl is killed instead of running on to its timeout unobserved.
    static func awaitCancelling<T: Sendable>(_ task: Task<T, Error>) async throws -> T {
        try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
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
        guard let list = try? JSONValue.parse(r.stdout), let served = KnownResources.served(groupList: list) else { return nil }
        memory?.remember(list)
        return served
    }

    /// How long the batched `get` of `names` may run. kubectl lists the kinds of one `get` one after another, each
    /// request bounded by `--request-timeout`, so the whole command takes (kinds x round trip): a slow but answering
    /// server (a distant cluster, a loaded API server) needs a budget that grows with the kinds. A stalled server
    /// still ends it early: kubectl gives up on the first request that outlasts `--request-timeout`.
    func batchDeadline(_ names: [String]) -> Double { timeout + 2 + Self.perKindAllowance * Double(names.count) }

    /// Seconds each kind of the batched `get` adds to its deadline (2 s: a round trip of up to ~2 s per list).
    static let perKindAllowance = 2.0

    /// The batched `get` of `names`.
    func batchArgs(_ names: [String]) -> [String] {
        ["get", names.joined(separator: ","), "-A", "-o", "json", "--request-timeout=\(Int(timeout.rounded(.up)))s"]
    }

    /// Which resource names the batched read asks for, given what discovery says is served.
    static func batchNames(_ wanted: [String], served: APIResources) -> [String] {
        var names: [String] = []
        for w in wanted { if let q = served.resolve(w)?.qualifiedName, !names.contains(q) { names.append(q) } }
        return names
    }

    /// Starts the batched read at once on the group list remembered from an earlier run, while discovery
    /// runs: on a distant server that saves a whole round trip. Nil when there is nothing to go on.
    func startEarlyRead() -> (names: [String], read: Task<CommandResult, Error>)? {
        guard discovery == nil, !fullDiscovery, KnownResources.covers(wanted),
              let remembered = memory?.recall(), let guess = KnownResources.served(groupList: remembered) else { return nil }
        let names = Self.batchNames(wanted, served: guess)
        guard !names.isEmpty else { return nil }
        let (kubectl, args, deadline) = (kubectl, batchArgs(names), batchDeadline(names))
        return (names, Task { try await kubectl.read(args, timeout: deadline) })
    }

    func take() async throws -> ObjectSnapshot {
        var snap = ObjectSnapshot()
        guard !wanted.isEmpty else { return snap }
        let early = startEarlyRead()
        // An early read not used (stale, or the take was cancelled) must not run on unobserved.
        defer { early?.read.cancel() }
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
        var names = Self.batchNames(wanted, served: served)
        // The early read counts only when this run's discovery asks for exactly what it read.
        var prefetched = early.flatMap { $0.names == names ? $0.read : nil }
        if early != nil, prefetched == nil {
            staleGuesses += 1
            kubectl.context.logger.debug("the remembered API groups were stale; reading again with discovery's")
        }
        var items: [JSONValue] = []
        // A kind discovery listed but the server refuses is dropped and the batch retried once per kind.
        while !names.isEmpty {
            let args = batchArgs(names)
            let argv = kubectl.options.argv(args)
            snap.commands.append(argv)
            passes += 1
            // A little past kubectl's own deadline, so kubectl can say why it gave up (a reset, a stall...).
            let r: CommandResult
            if let p = prefetched { r = try await Self.awaitCancelling(p); prefetched = nil; earlyReadsUsed += 1 } else { r = try await kubectl.read(args, timeout: batchDeadline(names)) }
            if r.timedOut {
                // kubectl was still listing, one kind after another: the server answers, too slowly to finish.
                throw EnvironmentError.clusterFailing(server: kubectl.server(r.stderrText), fault: "too slow",
                                                      detail: "`\(ShellQuote.join(argv))` (\(names.count) kinds, listed one after another) "
                                                          + "did not finish within \(formatDuration(r.duration))")
            }
            if r.exitCode != 0 {
                if let env = await kubectl.environmentProblem(r) { throw env }
                // A kind this context may not list is not a kind the cluster does not serve: dropping it would turn
                // "forbidden" into "not served" and the verdicts built on it.
                if Kubectl.isForbidden(r.stderrText) { throw await kubectl.readFailure(r, args: args) }
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
