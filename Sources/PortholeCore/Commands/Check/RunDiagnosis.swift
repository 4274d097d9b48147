import Foundation
import PortholeFindings
import PortholeKube

/// `porthole diagnose`: the full read-only diagnosis. One preflight, one snapshot shared by the checks and
/// every playbook, then every playbook's probes concurrently, without consent (nothing is written), then the
/// checks over the objects and what those probes saw from the operator's side.
/// kubectl runs three times in all: `version`, `api-resources`, one batched `get`.
public struct RunDiagnosis: Sendable {
    public var kube: KubeOptions
    public var json: Bool
    public var findings: FindingsService

    public init(kube: KubeOptions, json: Bool = false, findings: FindingsService) {
        self.kube = kube; self.json = json; self.findings = findings
    }

    /// One playbook's read-only result.
    public struct PlaybookResult: Sendable {
        public var id: String
        public var reached: Bool
        public var summary: String
        public var session: Session
    }

    public func execute(_ ctx: PortholeContext) async -> ExitStatus {
        do {
            let library = PlaybookLibrary(environment: ctx.environment, files: ctx.files, findings: findings.catalog)
            let playbooks = try library.all()
            let extra = playbooks.flatMap { PlaybookRun.resources($0, findings) }
            let read = try await ClusterRead.read(kube, extraResources: extra, context: ctx, findings: findings)
            let ranked = ApproachPlanner.rank(read.findingsSnapshot, scope: CheckScope(now: ctx.clock.now))
            let results = try await withThrowingTaskGroup(of: PlaybookResult.self) { group in
                for p in playbooks {
                    group.addTask {
                        let options = RunOptions(kube: kube, consent: .never, dryRun: false, journalPath: "/dev/null")
                        let inputs = PrometheusInputs.resolve(p, given: [:], snapshot: read.findingsSnapshot).inputs
                        var run = PlaybookRun(playbook: p, inputs: inputs, cluster: read.cluster, options: options, context: ctx,
                                              findings: findings, snapshots: read.source)
                        _ = try await run.runToEnd()
                        let o = run.session.outcome
                        return PlaybookResult(id: p.id, reached: o?.goalReached == true, summary: o?.summary ?? "not finished", session: run.session)
                    }
                }
                var out: [PlaybookResult] = []
                for try await r in group { out.append(r) }
                return out.sorted { $0.id < $1.id }
            }
            // The checks judge the objects and what the playbooks' probes saw from here (a timed-out nodePort,
            // Envoy's own 404...): one pass, after the probes.
            var observed = read.findingsSnapshot
            observed.observations = ObservedProbes.observations(Self.outsideProbes(results))
            let raised = FindingChecks.run(observed, scope: CheckScope(now: ctx.clock.now)).sorted(by: FindingsReport.order)
            let report = FindingsReport(source: "\(read.cluster.context ?? "current context") at \(Redactor().redact(read.cluster.server ?? "?"))",
                                        findings: raised)
            if json {
                let doc: JSONValue = [
                    "findings": report.json(),
                    "plan": .array(ranked.map { .string($0.id) }),
                    "playbooks": .array(results.map { ["id": .string($0.id), "reached": .bool($0.reached), "summary": .string($0.summary)] }),
                    "outsideProbes": .array(Self.outsideProbes(results).map { ["target": .string($0.target), "status": .string($0.status),
                                                                               "seconds": .double($0.duration)] }),
                ]
                ctx.output.write(doc.prettyJSON + "\n", to: .standardOutput)
            } else {
                ctx.output.write(report.text(), to: .standardOutput)
                ctx.output.line("\nPlaybooks, read-only (nothing was written):")
                for r in results { ctx.output.line("  \(r.reached ? "reached " : "stopped ") \(r.id): \(r.summary)") }
                if let first = ranked.first(where: \.viable) { ctx.output.line("\nTry first: porthole --playbook \(first.id)") }
            }
            return results.contains(where: \.reached) ? .goalReached : .goalNotReached
        } catch {
            return RunPlaybook.report(error, to: ctx.output)
        }
    }

    /// The HTTP and TCP probes every playbook made from the operator's side (what the benchmark's limit needs).
    static func outsideProbes(_ results: [PlaybookResult]) -> [ProbeRecord] {
        results.flatMap { $0.session.steps.flatMap(\.probes) }.filter { ($0.kind == "http" || $0.kind == "tcp") && $0.skipped == nil }
    }
}
