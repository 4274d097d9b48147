import Foundation
import PortholeFindings
import PortholeKube

/// `porthole plan`: the approaches ranked for this cluster, with a reason each and the findings behind it.
public struct RunPlan: Sendable {
    public var kube: KubeOptions
    public var live: Bool
    public var files: [String]
    public var json: Bool
    public var findings: FindingsService

    public init(kube: KubeOptions, live: Bool = true, files: [String] = [], json: Bool = false, findings: FindingsService) {
        self.kube = kube; self.live = live; self.files = files; self.json = json; self.findings = findings
    }

    public func execute(_ ctx: PortholeContext) async -> ExitStatus {
        do {
            var snapshot = ClusterSnapshot()
            if live { snapshot = try await ClusterRead.read(kube, context: ctx, findings: findings).findingsSnapshot }
            if !files.isEmpty { snapshot = snapshot.applying(try ManifestFiles.snapshot(files, files: ctx.files)) }
            let ranked = ApproachPlanner.rank(snapshot, scope: CheckScope(now: ctx.clock.now))
            ctx.output.write(json ? Self.json(ranked).prettyJSON + "\n" : Self.text(ranked), to: .standardOutput)
            return ranked.first?.viable == true ? .goalReached : .goalNotReached
        } catch {
            return RunPlaybook.report(error, to: ctx.output)
        }
    }

    /// One line per approach, best first, then the findings behind each.
    public static func text(_ ranked: [RankedApproach]) -> String {
        var out = "Approaches for this cluster, best first:\n"
        for (i, r) in ranked.enumerated() {
            let mark = r.viable ? "" : " (not viable)"
            out += "\n\(i + 1). \(r.id)\(mark) [score \(r.score)]\n   \(r.reason)\n"
            for f in r.findings.prefix(4) { out += "   \(f.code) \(f.message)\n" }
        }
        if let first = ranked.first(where: \.viable) {
            out += "\nTry first: porthole --playbook \(first.id)\n"
        }
        return out
    }

    static func json(_ ranked: [RankedApproach]) -> JSONValue {
        .array(ranked.map { r in
            ["id": .string(r.id), "score": .int(r.score), "viable": .bool(r.viable), "reachesFromOutside": .bool(r.reachesFromOutside),
             "reason": .string(r.reason), "findings": .array(r.findings.map { .string($0.code) })]
        })
    }
}

/// `porthole explain CODE`: the finding's doc page (`docs/findings/CODE.md`), or its catalog entry.
public struct ExplainFinding: Sendable {
    public var code: String
    public init(code: String) { self.code = code }

    public func execute(_ ctx: PortholeContext) -> ExitStatus {
        guard let d = FindingCatalog.lookup(code) else {
            ctx.output.diagnostic("porthole: error: unknown finding code \(code) (codes look like PH0201; see docs/findings/README.md)")
            return .usage
        }
        for dir in Self.docDirectories(environment: ctx.environment) {
            let path = (dir as NSString).appendingPathComponent("\(d.code).md")
            if ctx.files.exists(path), let data = try? ctx.files.read(path) {
                ctx.output.write(String(decoding: data, as: UTF8.self), to: .standardOutput)
                return .goalReached
            }
        }
        ctx.output.line("\(d.code) (\(d.level.rawValue)): \(d.title)\n\nCause: \(d.cause)\n\nFix: \(d.fixTemplate)\n\nDoc: \(d.docPath)")
        return .goalReached
    }

    /// `$PORTHOLE_DOCS/findings`, `<exe>/../share/porthole/docs/findings`, then the source tree's `docs/findings`.
    static func docDirectories(environment: [String: String], sourceFile: String = #filePath) -> [String] {
        var out: [String] = []
        if let d = environment["PORTHOLE_DOCS"], !d.isEmpty { out.append((d as NSString).appendingPathComponent("findings")) }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        out.append(exe.appendingPathComponent("../share/porthole/docs/findings").standardized.path)
        var root = URL(fileURLWithPath: sourceFile)
        for _ in 0..<5 { root.deleteLastPathComponent() }  // Sources/PortholeCore/Commands/Check/RunPlan.swift
        out.append(root.appendingPathComponent("docs/findings").path)
        return out
    }
}
