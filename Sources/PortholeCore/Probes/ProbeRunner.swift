import Foundation
import PortholeFindings
import PortholeKube

/// What probes need besides the probe: the context, kubectl, the shared snapshot and the findings.
public struct ProbeEnvironment: Sendable {
    public var context: PortholeContext
    public var kubectl: Kubectl
    public var snapshots: SnapshotSource
    public var findings: FindingsService

    public init(context: PortholeContext, kubectl: Kubectl, snapshots: SnapshotSource, findings: FindingsService) {
        self.context = context
        self.kubectl = kubectl
        self.snapshots = snapshots
        self.findings = findings
    }
}

/// Runs one probe of any kind: substitutes variables per field, dispatches to the kind, records.
/// Throws only `EnvironmentError` (the cluster cannot be reached at all); every other failure is a result.
public enum ProbeRunner {
    /// `observations`: what the step's outside probes saw, for a `findings` probe (see `runAll`).
    public static func run(_ probe: Probe, variables: [String: String], observations: [OutsideObservation] = [],
                           in env: ProbeEnvironment) async throws -> ProbeRecord {
        let record = try await collect(probe, variables: variables, observations: observations, in: env)
        // Secrets are learnt where they enter, so every later output masks them (see `KnownSecrets`).
        KnownSecrets.shared.learn(from: record.document)
        if let printed = record.document["stdout"]?.stringValue { KnownSecrets.shared.learn(fromPrinted: printed) }
        return record
    }

    static func collect(_ probe: Probe, variables: [String: String], observations: [OutsideObservation],
                        in env: ProbeEnvironment) async throws -> ProbeRecord {
        func sub(_ s: String) throws -> String { try Template(s).substitute(variables) }
        do {
            switch probe.kind {
            case .object(let q):
                let query = ObjectQuery(resource: q.resource, namespace: try q.namespace.map(sub), name: try q.name.map(sub),
                                        selector: try q.selector.map(sub))
                return try await ObjectProbe.run(probe, query: query, in: env)
            case .kubectl(let args, let json):
                return try await KubectlProbe.run(probe, args: try args.map(sub), json: json, in: env)
            case .http(let spec):
                var headers: [String: String] = [:]
                for (k, v) in spec.headers { headers[k] = try sub(v) }
                KnownSecrets.shared.learn(httpCredentials: headers, url: try sub(spec.url))
                let request = HTTPExchangeRequest(url: try sub(spec.url), method: spec.method, host: try spec.host.map(sub),
                                                  headers: headers, connectTimeout: min(spec.connectTimeout, probe.timeout),
                                                  timeout: probe.timeout)
                return await HTTPProbe.run(probe, request: request, in: env)
            case .tcp(let host, let port):
                return await TCPProbe.run(probe, host: try sub(host), port: try sub(port), in: env)
            case .findings(let codes, let namespace):
                return try await FindingsProbe.run(probe, codes: codes, namespace: try namespace.map(sub), observations: observations, in: env)
            }
        } catch let unset as Template.Unset {
            return .skipped(probe, variable: unset.name)
        }
    }

    /// Runs a step's probes; records come back in the step's order. The other probes run concurrently first, then
    /// the `findings` probes, which judge the snapshot together with what those http and tcp probes just saw. Only
    /// this run's observations count: one from before a fix could blame a drop that the fix has since ended.
    public static func runAll(_ probes: [Probe], variables: [String: String], in env: ProbeEnvironment) async throws -> [ProbeRecord] {
        let isFindings: (Probe) -> Bool = { if case .findings = $0.kind { return true } else { return false } }
        var out = [ProbeRecord?](repeating: nil, count: probes.count)
        let outside = probes.enumerated().filter { !isFindings($0.element) }
        for (i, r) in try await concurrently(outside, variables: variables, observations: [], in: env) { out[i] = r }
        let observed = ObservedProbes.observations(out.compactMap { $0 })
        let judged = probes.enumerated().filter { isFindings($0.element) }
        for (i, r) in try await concurrently(judged, variables: variables, observations: observed, in: env) { out[i] = r }
        return out.compactMap { $0 }
    }

    /// Runs `probes` (with their places in the step) at once; each `findings` probe among them judges `observations`.
    static func concurrently(_ probes: [(offset: Int, element: Probe)], variables: [String: String], observations: [OutsideObservation],
                             in env: ProbeEnvironment) async throws -> [(Int, ProbeRecord)] {
        try await withThrowingTaskGroup(of: (Int, ProbeRecord).self) { group in
            for (i, p) in probes {
                group.addTask { (i, try await run(p, variables: variables, observations: observations, in: env)) }
            }
            var out: [(Int, ProbeRecord)] = []
            for try await r in group { out.append(r) }
            return out
        }
    }
}
