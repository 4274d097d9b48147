import Foundation
import PortholeKube

/// Turns a fix into a proposal, a server-side dry run, or a journaled write.
///
/// A write goes: read every target's prior state -> append the `intent` record (with the exact undo)
/// -> run -> read the post state -> append the `result` record -> invalidate the snapshot.
struct FixApplier {
    let env: ProbeEnvironment
    let journal: UndoJournal
    let playbook: String

    /// The fix with variables substituted; throws `Template.Unset` when one has no value.
    func proposal(step: String, fix: Fix, variables: [String: String]) throws -> FixProposal {
        func sub(_ s: String) throws -> String { try Template(s).substitute(variables) }
        var p = FixProposal(step: step, fix: fix, command: nil, manifest: nil, warning: try fix.warning.map(sub))
        switch fix.action {
        case .kubectl(let args), .background(let args): p.command = env.kubectl.options.argv(try args.map(sub))
        case .manifest(let m):
            p.manifest = try sub(m)
            p.command = env.kubectl.options.argv(["apply", "-f", "-"])
        case .none: break
        }
        var resolved = fix
        resolved.targets = try fix.targets.map {
            ObjectQuery(resource: $0.resource, namespace: try $0.namespace.map(sub), name: try $0.name.map(sub), selector: nil)
        }
        resolved.undo = try fix.undo?.map(sub)
        p.fix = resolved
        return p
    }

    /// Runs the write with `--dry-run=server`; nothing changes.
    func dryRun(_ p: FixProposal) async throws -> CommandResult {
        try await env.kubectl.run(writeArgs(p) + ["--dry-run=server"], stdin: p.manifest.map { Data($0.utf8) }, timeout: 30)
    }

    /// argv after `kubectl` of the write.
    func writeArgs(_ p: FixProposal) -> [String] {
        switch p.fix.action {
        case .kubectl(let args): return Array((p.command ?? args).dropFirst(env.kubectl.options.argv([]).count))
        case .manifest: return ["apply", "-f", "-"]
        case .background, .none: return []
        }
    }

    /// Journals, writes, journals the result. Returns the command result and the journal id.
    func apply(_ p: FixProposal, now: Date) async throws -> (CommandResult, String, [UndoAction], [JournalTarget]) {
        var targets: [JournalTarget] = []
        for t in p.fix.targets {
            guard let name = t.name else { continue }
            targets.append(JournalTarget(resource: t.resource, namespace: t.namespace, name: name, prior: try await read(t)))
        }
        let undo = p.fix.undo.map { [UndoAction(args: $0)] } ?? targets.reversed().map(Self.undoAction)
        let id = UndoJournal.newID(now)
        let summary = "\(playbook)/\(p.step): \((try? Template(p.fix.title).substitute(p.variables)) ?? p.fix.title)"
        // Intent, write and result form one unit that SIGINT/SIGTERM wait for (see InterruptGuard).
        let r: CommandResult = try await InterruptGuard.shared.during {
            try journal.append(JournalRecord(id: id, phase: .intent, time: now, playbook: playbook, step: p.step, fix: p.fix.id,
                                             summary: summary, command: p.command, manifest: p.manifest, targets: targets, undo: undo))
            await TestPause.at("before-write", env.context)
            let r = try await env.kubectl.run(writeArgs(p), stdin: p.manifest.map { Data($0.utf8) }, timeout: 30)
            await TestPause.at("after-write", env.context)
            // The result is journaled even when the state after the write cannot be read (the API server went away):
            // kubectl's answer is known, and a missing result would tell undo that porthole stopped mid-write.
            var unread: Error?
            do {
                for i in targets.indices {
                    let q = ObjectQuery(resource: targets[i].resource, namespace: targets[i].namespace, name: targets[i].name)
                    targets[i].post = try await read(q)
                }
            } catch {
                unread = error
                for i in targets.indices { targets[i].post = nil }
            }
            let error = r.exitCode == 0 ? nil : trimmedOutput(r.stderrText, limit: 1000)
            try journal.append(JournalRecord(id: id, phase: .result, time: env.context.clock.now, summary: summary, targets: targets,
                                             error: error, unreadPost: unread.map { "\($0)" }))
            if let unread { throw unread }
            return r
        }
        await env.snapshots.invalidate()
        return (r, id, undo, targets)
    }

    func read(_ t: ObjectQuery) async throws -> JSONValue? { try await env.kubectl.readObject(t) }

    /// Delete what the fix created; restore (replace) what it changed.
    static func undoAction(_ t: JournalTarget) -> UndoAction {
        let ns = t.namespace.map { ["-n", $0] } ?? []
        guard let prior = t.prior else { return UndoAction(args: ["delete", t.resource, t.name, "--ignore-not-found"] + ns) }
        return UndoAction(args: ["replace", "-f", "-"], stdin: ObjectComparison.restorable(prior).prettyJSON)
    }
}

