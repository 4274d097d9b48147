import Foundation

/// `porthole undo [--journal FILE] [--all | N]`.
public struct UndoCommand: Sendable {
    public var kube: KubeOptions
    public var journal: String?
    /// nil: all pending writes.
    public var count: Int?
    /// Accept drift without asking (otherwise asked on a terminal, refused elsewhere).
    public var force: Bool
    /// Asks the operator about a drift; nil when nobody can be asked.
    public var ask: (@Sendable (String) async -> Bool)?

    public init(kube: KubeOptions, journal: String?, count: Int?, force: Bool, ask: (@Sendable (String) async -> Bool)?) {
        self.kube = kube
        self.journal = journal
        self.count = count
        self.force = force
        self.ask = ask
    }

    public func execute(_ ctx: PortholeContext) async -> ExitStatus {
        do {
            let path: String
            if let j = journal { path = j } else {
                // The journal is named by the context alone, read from the kubeconfig offline: a tunnel porthole
                // started can be stopped while its cluster is unreachable (kubectl undos still need the cluster).
                let kubeconfig = try KubeconfigFile.summary(kube, context: ctx)
                path = UndoJournal.defaultPath(environment: ctx.environment, context: kubeconfig.context)
            }
            let j = UndoJournal(path: path, files: ctx.files)
            let held = try ContextLock.acquire(journal: path, files: ctx.files, command: "porthole undo", now: ctx.clock.now)
            defer { held.release() }
            let torn = try j.contents().tornLines
            if !torn.isEmpty {
                ctx.output.diagnostic("porthole: warning: \(path): line \(torn.map(String.init).joined(separator: ", ")) is torn "
                                      + "(porthole was stopped while writing it) and was skipped")
            }
            if try j.pending().isEmpty {
                ctx.output.line("Nothing to undo in \(path).")
                return .goalReached
            }
            // Before anything is reverted: an undo the journal cannot record would stay "pending" after it was done.
            try j.checkWritable()
            let undoer = Undoer(kubectl: Kubectl(options: kube, context: ctx), journal: j)
            let force = self.force, ask = self.ask, out = ctx.output
            let outcomes = try await undoer.undo(count: count) { entry, diff in
                out.line("\(entry.intent.summary): the object changed since porthole wrote it:\n\(diff)")
                if force { return true }
                guard let ask else {
                    out.diagnostic("porthole: refusing to undo over someone else's change (use --force to undo anyway)")
                    return false
                }
                return await ask("Undo anyway? [y/N] ")
            }
            var ok = true
            for o in outcomes {
                switch o.status {
                case .undone where o.note != nil: out.line("nothing to undo: \(o.summary) (\(o.note!))")
                case .undone: out.line((["undone: \(o.summary)"] + o.commands.map { "  " + ShellQuote.join($0) } + o.details.map { "  " + $0 })
                                        .joined(separator: "\n"))
                case .keptAfterDrift: ok = false; out.line("kept: \(o.summary)")
                case .failed(let why): ok = false; out.diagnostic("porthole: undo failed: \(o.summary): \(why)")
                }
            }
            let left = try j.pending()
            out.line(left.isEmpty ? "Pending undos: none." : "Pending undos: \(left.count) (newest: \(left.last!.intent.summary))")
            return ok ? .goalReached : .goalNotReached
        } catch {
            return RunPlaybook.report(error, to: ctx.output)
        }
    }
}
