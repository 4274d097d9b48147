import ArgumentParser
import CStartup
import Foundation
import Logging
import PortholeCore
import PortholeLab

/// `porthole`: the root only names the subcommands. `run` is the default, so `porthole --playbook ID ...`
/// and a bare `porthole` (the guided session) need no subcommand word. The root declares no options of its
/// own: ArgumentParser hands a parent's option to the parent even when it is written after a subcommand, so
/// shared names (`--format`, `--kubeconfig`, `--journal`) would never reach `check` or `undo`.
/// The executable only parses arguments and wires the live context; everything else is in the libraries.
@main
struct Porthole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "porthole",
        abstract: "Walks you through making an in-cluster service (Prometheus) reachable from outside a Kubernetes cluster.",
        discussion: ExitStatus.help,
        version: "porthole 0.1.0",
        subcommands: [RunCLI.self, PlaybooksCommand.self, CheckCLI.self, PlanCLI.self, ExplainCLI.self, DiagnoseCLI.self, UndoCLI.self,
                      LabCommand.self],
        defaultSubcommand: RunCLI.self
    )

    /// Like ArgumentParser's `main`, but usage errors exit 2 (porthole's documented code), not 64.
    static func main() async {
        // CStartup's constructor already put /dev/null on any closed standard stream, before the runtime opened
        // anything; this reference keeps its object file (and so the constructor) in the link.
        _ = porthole_reopened_standard_streams()
        StandardStreams.ignoreBrokenPipes()
        do {
            var command = try parseAsRoot(LabArgument.defaulted(Array(CommandLine.arguments.dropFirst())))
            if var async = command as? AsyncParsableCommand { try await async.run() } else { try command.run() }
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            StandardStreams.write(fullMessage(for: error) + "\n", to: STDERR_FILENO)
            Foundation.exit(ExitStatus.usage.rawValue)
        }
    }
}

/// `porthole [run] --playbook ID|FILE ...` runs a playbook; without `--playbook` it opens the guided session.
struct RunCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a playbook (--playbook), or without one open the guided session. The default subcommand.",
        discussion: ExitStatus.help
    )

    @Option(name: .long, help: "Playbook id (see `porthole playbooks list`) or a playbook file.")
    var playbook: String?

    @Option(name: .customLong("var"), help: "Set an input: --var name=value (repeatable).")
    var variables: [String] = []

    @OptionGroup var cluster: ClusterOptions

    @Flag(name: .long, help: "Apply fixes (each is journaled first and can be undone with `porthole undo`).")
    var yes = false

    @Flag(name: .customLong("dry-run"), help: "Show what the first fix would do with the server's dry run; write nothing.")
    var dryRun = false

    @Option(name: .long, help: "Write a markdown transcript of the run to this file.")
    var transcript: String?

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .long, help: "Undo journal file (default: $XDG_STATE_HOME/porthole/journal-<context>.jsonl).")
    var journal: String?

    @Flag(name: .long, help: "Log what porthole runs to stderr.")
    var verbose = false

    @Option(name: .long, help: "Run against the built-in lab (a simulated cluster) with this scenario; `--lab` alone means `notes`.")
    var lab: String?

    @OptionGroup var labTuning: LabTuning

    /// Options that would be ignored in this combination are refused (exit 2) rather than dropped silently.
    func validate() throws {
        if playbook == nil {
            if yes { throw ValidationError("--yes applies to --playbook runs; in the guided session `apply` asks before each change.") }
            if dryRun { throw ValidationError("--dry-run applies to --playbook runs; in the guided session `fix` shows the server's dry run.") }
            if format != .text { throw ValidationError("--format json applies to --playbook runs; the guided session writes text (`--transcript FILE.md` keeps it).") }
        }
        if lab != nil, cluster.kubeconfig != nil || cluster.context != nil {
            throw ValidationError("--lab starts its own cluster; --kubeconfig and --context cannot be used with it.")
        }
        if lab == nil, labTuning.apiLatency != nil || labTuning.noPrometheus || !labTuning.faults.isEmpty {
            throw ValidationError("--api-latency, --no-prometheus and --fault tune the built-in lab: use them with --lab (or `porthole lab serve`).")
        }
    }

    func run() async throws {
        guard let playbook else { return try await runGuidedSession() }
        InterruptGuard.shared.install()
        let ctx = liveContext(verbose: verbose)
        let request = RunRequest(playbook: playbook, variables: variables, kube: cluster.kube, yes: yes, dryRun: dryRun,
                                 transcript: transcript, format: format.transcriptFormat, journal: journal)
        let status = await run(request, ctx)
        if status != .goalReached { throw ExitCode(status.rawValue) }
    }

    /// The run itself, given a context (the place where `--lab` will start a lab and set `request.kube`).
    func run(_ request: RunRequest, _ ctx: PortholeContext) async -> ExitStatus {
        guard let scenario = lab else { return await RunPlaybook(request, findings: porthole.findings).execute(ctx) }
        let instance: LabInstance
        do { instance = try startLab(try labTuning.options(scenario: scenario), logger: labLogger(verbose: verbose)) } catch {
            if let code = error as? ExitCode { return ExitStatus(rawValue: code.rawValue) ?? .environment }
            ctx.output.diagnostic("porthole: \(error)")
            return .usage
        }
        let stopper = LabStopper(instance)
        stopper.stopOnSignal()
        defer { instance.stop() }
        var labRequest = request
        labRequest.kube = KubeOptions(kubeconfig: instance.kubeconfigPath, context: nil)
        let labJournal = request.journal == nil ? LabJournal() : nil
        defer { labJournal?.remove() }
        labRequest.journal = request.journal ?? labJournal?.path
        let status = await RunPlaybook(labRequest, findings: porthole.findings).execute(ctx)
        // A signal stopped the lab under the run: its handler exits 130/143; the run must not exit 3 first.
        InterruptGuard.shared.yieldIfTerminating()
        if let j = labJournal, request.format == .text, let pending = try? UndoJournal(path: j.path, files: ctx.files).pending(), !pending.isEmpty {
            ctx.output.line("(The lab stops with this run, and its changes with it: nothing is left to undo.)")
        }
        return status
    }
}

/// `--kubeconfig` and `--context`, shared by every command that talks to a cluster.
struct ClusterOptions: ParsableArguments {
    @Option(name: .long, help: "Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).")
    var kubeconfig: String?

    @Option(name: .long, help: "Kubeconfig context (default: the current one).")
    var context: String?

    var kube: KubeOptions { KubeOptions(kubeconfig: kubeconfig, context: context) }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
    var transcriptFormat: TranscriptFormat { self == .json ? .json : .text }
}

/// The live context: real processes, sockets, clock, stdout/stderr, disk; logs to stderr.
func liveContext(verbose: Bool) -> PortholeContext {
    // Masked like every other output: debug lines carry kubectl's arguments.
    var logger = Logger(label: "porthole") { RedactingLogHandler(wrapping: StreamLogHandler.standardError(label: $0)) }
    logger.logLevel = verbose ? .debug : .warning
    return .live(logger: logger)
}

/// Which findings catalog and checks the CLI wires (one place to change when PortholeFindings lands).
enum porthole {
    static let findings = FindingsService.builtIn
}
