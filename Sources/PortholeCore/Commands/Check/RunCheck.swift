import Foundation
import PortholeFindings
import PortholeKube

/// What `porthole check` was asked to do.
public struct CheckRequest: Sendable {
    /// Read the live cluster (no `-f`, or `-f` together with `--kubeconfig`/`--context`: "what if I applied these").
    public var live: Bool
    public var kube: KubeOptions
    /// Limit findings to one namespace (`-n`); nil with `-A` or by default.
    public var namespace: String?
    /// `-f FILE|DIR`, repeatable.
    public var files: [String]
    public var format: FindingsFormat
    public var failOn: FindingLevel
    /// `--suppress "PH0301 until=2027-01-31 reason=..."`, repeatable.
    public var suppressions: [String]

    public init(live: Bool, kube: KubeOptions = KubeOptions(), namespace: String? = nil, files: [String] = [],
                format: FindingsFormat = .text, failOn: FindingLevel = .error, suppressions: [String] = []) {
        self.live = live; self.kube = kube; self.namespace = namespace; self.files = files
        self.format = format; self.failOn = failOn; self.suppressions = suppressions
    }
}

/// `porthole check`: findings over a live read, offline manifests, or both. Exit 1 when a finding at or
/// above `failOn` is not suppressed.
public struct RunCheck: Sendable {
    public var request: CheckRequest
    public var findings: FindingsService

    public init(_ request: CheckRequest, findings: FindingsService) {
        self.request = request
        self.findings = findings
    }

    public func execute(_ ctx: PortholeContext) async -> ExitStatus {
        do {
            let scope = try self.scope(now: ctx.clock.now)
            var snapshot = ClusterSnapshot()
            var source = "manifests \(request.files.joined(separator: ", "))"
            if request.live {
                let read = try await ClusterRead.read(request.kube, context: ctx, findings: findings)
                snapshot = read.findingsSnapshot
                source = "\(read.cluster.context ?? "current context") at \(Redactor().redact(read.cluster.server ?? "?"))"
                if !request.files.isEmpty { source += " with \(request.files.joined(separator: ", ")) applied" }
            }
            if !request.files.isEmpty { snapshot = snapshot.applying(try ManifestFiles.snapshot(request.files, files: ctx.files)) }
            let raised = FindingChecks.run(snapshot, scope: scope).sorted(by: FindingsReport.order)
            let report = FindingsReport(source: source, findings: raised)
            ctx.output.write(report.render(request.format), to: .standardOutput)
            return report.fails(at: request.failOn) ? .goalNotReached : .goalReached
        } catch {
            return RunPlaybook.report(error, to: ctx.output)
        }
    }

    func scope(now: Date) throws -> CheckScope {
        var list: [Suppression] = []
        for text in request.suppressions {
            do { list += try Suppression.parseAll(text) } catch { throw UsageError("--suppress \"\(text)\": \(error)") }
        }
        return CheckScope(namespace: request.namespace, suppressions: list, now: now)
    }
}

/// How findings are printed.
public enum FindingsFormat: String, Sendable, CaseIterable {
    case text, json, sarif
}
