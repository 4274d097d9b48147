import Foundation

/// `porthole playbooks list | show ID | validate FILE...`.
public struct PlaybookCommands: Sendable {
    let findings: FindingsService

    public init(findings: FindingsService) { self.findings = findings }

    func library(_ ctx: PortholeContext) -> PlaybookLibrary {
        PlaybookLibrary(environment: ctx.environment, files: ctx.files, findings: findings.catalog)
    }

    public func list(_ ctx: PortholeContext) -> ExitStatus {
        let lib = library(ctx)
        guard lib.directory != nil else {
            ctx.output.diagnostic("porthole: error: no playbook directory found (set PORTHOLE_PLAYBOOKS)")
            return .environment
        }
        var status = ExitStatus.goalReached
        var rows: [(String, String)] = []
        for path in lib.paths {
            do {
                let p = try lib.loader.load(path: path, files: ctx.files)
                rows.append((p.id, p.title))
            } catch {
                status = RunPlaybook.report(error, to: ctx.output)
            }
        }
        let width = rows.map(\.0.count).max() ?? 0
        for (id, title) in rows { ctx.output.line(id.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + title) }
        return status
    }

    public func show(_ id: String, _ ctx: PortholeContext) -> ExitStatus {
        do {
            let p = try library(ctx).load(id)
            var out = ["\(p.title) (\(p.id))", "source: \(p.source)", ""]
            if !p.summary.isEmpty { out += [p.summary.trimmingCharacters(in: .whitespacesAndNewlines), ""] }
            if !p.applies.isEmpty { out += ["Applies when: " + p.applies.trimmingCharacters(in: .whitespacesAndNewlines), ""] }
            if !p.requires.isEmpty { out += ["Requires: " + p.requires.joined(separator: ", "), ""] }
            if !p.inputs.isEmpty {
                out.append("Inputs (--var name=value):")
                for i in p.inputs { out.append("  \(i.name) = \(i.defaultValue ?? "(no default)")" + (i.description.isEmpty ? "" : "  \(i.description)")) }
                out.append("")
            }
            out.append("Steps:")
            for (n, s) in p.steps.enumerated() {
                out.append("  \(n + 1). \(s.id): \(s.title)" + (s.fixes.isEmpty ? "" : " (fixes: \(s.fixes.map(\.id).joined(separator: ", ")))"))
            }
            ctx.output.line(out.joined(separator: "\n"))
            return .goalReached
        } catch {
            return RunPlaybook.report(error, to: ctx.output)
        }
    }

    /// Validates every file; errors go to stderr with FILE:LINE:COLUMN, `FILE: ok` to stdout.
    public func validate(_ paths: [String], _ ctx: PortholeContext) -> ExitStatus {
        let lib = library(ctx)
        var known = lib.loader.knownPlaybooks ?? PlaybookLibrary.shippedIDs
        for p in paths { known.insert(URL(fileURLWithPath: p).deletingPathExtension().lastPathComponent) }
        let loader = PlaybookLoader(knownPlaybooks: known, findings: findings.catalog)
        var failed = false
        for path in paths {
            let errors = loader.validate(path: path, files: ctx.files)
            if errors.isEmpty { ctx.output.line("\(path): ok") } else {
                failed = true
                for e in errors { ctx.output.diagnostic(e.description) }
            }
        }
        return failed ? .usage : .goalReached
    }
}
