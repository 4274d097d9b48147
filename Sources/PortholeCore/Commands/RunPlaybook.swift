import Foundation

/// What `porthole --playbook ...` was asked to do.
public struct RunRequest: Sendable {
    public var playbook: String
    /// `--var name=value`, in order.
    public var variables: [String]
    public var kube: KubeOptions
    public var yes: Bool
    public var dryRun: Bool
    public var transcript: String?
    public var format: TranscriptFormat
    public var journal: String?
    /// Budget for the first contact with the cluster.
    public var preflightTimeout: Double

    public init(playbook: String, variables: [String] = [], kube: KubeOptions = KubeOptions(), yes: Bool = false, dryRun: Bool = false,
                transcript: String? = nil, format: TranscriptFormat = .text, journal: String? = nil, preflightTimeout: Double = 5) {
        self.playbook = playbook
        self.variables = variables
        self.kube = kube
        self.yes = yes
        self.dryRun = dryRun
        self.transcript = transcript
        self.format = format
        self.journal = journal
        self.preflightTimeout = preflightTimeout
    }
}

/// A non-interactive run: load, check the cluster, run every step, print, write the transcript.
public struct RunPlaybook: Sendable {
    public var request: RunRequest
    public var findings: FindingsService

    public init(_ request: RunRequest, findings: FindingsService) {
        self.request = request
        self.findings = findings
    }

    public func execute(_ ctx: PortholeContext) async -> ExitStatus {
        let out = ctx.output
        let export = request.transcript.map { TranscriptExport(path: $0, files: ctx.files, environment: ctx.environment) }
        // Set once the run has begun: an error after that still ends with its summary, pending undos and transcript.
        var run: PlaybookRun?
        do {
            // A transcript that cannot be written is known before the run reads or writes the cluster.
            try export?.checkDestination()
            let library = PlaybookLibrary(environment: ctx.environment, files: ctx.files, findings: findings.catalog)
            let playbook = try library.load(request.playbook)
            let inputs = try Self.parseVariables(request.variables, playbook: playbook)
            for (name, value) in inputs where KnownSecrets.isSecretName(name) { KnownSecrets.shared.learn(value, as: "secret input") }
            // The snapshot the run will probe is read alongside the preflight (one batched read, as ever),
            // so the playbook can be pointed at the cluster's Prometheus before its first step.
            let source = SnapshotSource(kubectl: Kubectl(options: request.kube, context: ctx), resources: PlaybookRun.resources(playbook, findings) + ["services"])
            let objects = Task { try await source.snapshot() }
            let cluster = try await Preflight.check(request.kube, context: ctx, timeout: request.preflightTimeout)
            let resolved = PrometheusInputs.resolve(playbook, given: inputs, snapshot: BuiltInChecks.clusterSnapshot(try await objects.value))
            let journal = request.journal ?? UndoJournal.defaultPath(environment: ctx.environment, context: cluster.context)
            let options = RunOptions(kube: request.kube, consent: request.yes ? .always : .never, dryRun: request.dryRun, journalPath: journal)
            // A run that may write holds the context's lock, so two runs never interleave their writes.
            let held = request.yes && !request.dryRun
                ? try ContextLock.acquire(journal: journal, files: ctx.files, command: "porthole --playbook \(request.playbook) --yes", now: ctx.clock.now)
                : nil
            defer { held?.release() }
            run = PlaybookRun(playbook: playbook, inputs: resolved.inputs, cluster: cluster, options: options, context: ctx,
                              findings: findings, snapshots: source)
            if request.format == .text {
                out.line("porthole: \(playbook.title) (\(playbook.id)) on \(cluster.context ?? "current context") at \(Redactor().redact(cluster.server ?? "?"))"
                         + (cluster.serverVersion.map { " (\($0))" } ?? ""))
                if let note = resolved.note { out.line("porthole: \(note) --var namespace=... --var service=... choose another.") }
            } else if let note = resolved.note {
                out.diagnostic("porthole: \(note) --var namespace=... --var service=... choose another.")
            }
            EarlierChanges(journal: UndoJournal(path: journal, files: ctx.files)).announce(to: out, format: request.format)
            // Ctrl-C between writes still ends with the summary and the transcript of the steps run so far.
            let interrupted = InterruptedRun()
            interrupted.update(run!)
            interrupted.onInterrupt { [self] stopped in _ = finish(stopped.session, export: export, ctx) }
            defer { interrupted.finish() }
            let printer = EventPrinter()
            while let current = run, !current.isFinished {
                let events = try await run!.step()
                interrupted.update(run!)
                if request.format == .text { for e in events { for l in printer.lines(e) { out.line(l) } } }
            }
            interrupted.finish()
            let written = finish(run!.session, export: export, ctx)
            if !written { return .environment }
            return run!.session.outcome?.goalReached == true ? .goalReached : .goalNotReached
        } catch {
            let status = Self.report(error, to: out)
            // The run had begun: it may have written. Say what is pending and keep the transcript of what happened.
            guard var stopped = run else { return status }
            stopped.abort("stopped by an error: \(Self.message(for: error))")
            _ = finish(stopped.session, export: export, ctx)
            return status
        }
    }

    /// Prints the summary (text) or the transcript (json) of `session`, then writes the `--transcript` file, falling
    /// back to a file of porthole's own when the asked one cannot be written. False when it was not written where asked.
    func finish(_ session: Session, export: TranscriptExport?, _ ctx: PortholeContext) -> Bool {
        let out = ctx.output
        switch request.format {
        case .text: out.write(TextSummary(includeSteps: false).render(Redactor().redact(session)), to: .standardOutput)
        case .json, .markdown: out.write(Transcript.render(session, as: request.format, catalog: findings.catalog), to: .standardOutput)
        }
        guard let export else { return true }
        let text = Transcript.render(session, as: .markdown, catalog: findings.catalog)
        do {
            switch try export.write(text, name: "porthole-\(session.playbook.id)", now: ctx.clock.now) {
            case .asked(let path):
                out.diagnostic("porthole: transcript written to \(path)")
                return true
            case .fallback(let path, let why):
                out.diagnostic("porthole: error: cannot write the transcript to \(export.path) (\(why)); it was written to \(path) instead")
                return false
            }
        } catch {
            // No file at all could be written: the transcript still goes out, on stderr, rather than be lost.
            out.diagnostic("porthole: error: cannot write the transcript anywhere (\(Self.message(for: error))); here it is:\n" + text)
            return false
        }
    }

    /// The words `report` uses for an error, without its prefix.
    static func message(for error: Error) -> String {
        "\(error)"
    }

    /// Renders any error in the one place errors are rendered, and picks the exit status.
    public static func report(_ error: Error, to sink: OutputSink) -> ExitStatus {
        // Errors quote servers (`http://user:password@host`), kubectl's messages and files: masked like every output.
        let out = MaskedDiagnostics(sink)
        switch error {
        case let e as PlaybookError:
            out.diagnostic(e.description)
            return .usage
        case let e as UsageError:
            out.diagnostic("porthole: error: \(e.description)")
            return .usage
        case let e as EnvironmentError:
            out.diagnostic("porthole: error: \(e.description)")
            return .environment
        case let e as JournalError:
            out.diagnostic("porthole: error: \(e.description)")
            return .environment
        case let e as ContextLockError:
            out.diagnostic("porthole: error: \(e.description)")
            return .environment
        case let e as FileSystemError:
            out.diagnostic("porthole: error: \(e)")
            return .environment
        case let e as KubectlOutputError:
            // kubectl failed or printed what porthole cannot use: the cluster's or kubectl's doing, named with the command.
            out.diagnostic("porthole: error: \(e.description)")
            return .environment
        default:
            out.diagnostic("porthole: internal error (please report): \(error)")
            return .environment
        }
    }

    /// `name=value` pairs; every name must be an input of the playbook.
    static func parseVariables(_ pairs: [String], playbook: Playbook) throws -> [String: String] {
        var out: [String: String] = [:]
        let names = playbook.inputs.map(\.name)
        for p in pairs {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else { throw UsageError("--var wants name=value, got `\(p)`") }
            let name = String(p[..<eq])
            guard names.contains(name) else {
                throw UsageError("playbook \(playbook.id) has no input `\(name)` (inputs: \(names.joined(separator: ", ")))")
            }
            let value = String(p[p.index(after: eq)...])
            if let why = playbook.inputs.first(where: { $0.name == name })?.problem(with: value) { throw UsageError(why) }
            out[name] = value
        }
        return out
    }
}

/// The diagnostics of `RunPlaybook.report`, through the Redactor.
private struct MaskedDiagnostics {
    let sink: OutputSink
    init(_ sink: OutputSink) { self.sink = sink }
    func diagnostic(_ text: String) { sink.diagnostic(Redactor().redact(text)) }
}
