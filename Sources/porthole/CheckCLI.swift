import ArgumentParser
import Foundation
import PortholeCore
import PortholeFindings

/// `porthole check`: findings with stable codes over a live cluster, manifests, or both.
struct CheckCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Report findings (stable PHxxxx codes) for a live cluster, manifests (-f), or both: \"what if I applied these\".",
        discussion: "Exit codes: 0 no finding at --fail-on level; 1 such findings; 2 usage or unreadable files; 3 environment error."
    )

    @OptionGroup var cluster: ClusterOptions

    @Flag(name: .customShort("A"), help: "All namespaces (the default).")
    var allNamespaces = false

    @Option(name: .shortAndLong, help: "Only findings about objects in this namespace.")
    var namespace: String?

    @Option(name: .customShort("f"), help: "A manifest file or directory (repeatable). Alone: offline; with --kubeconfig/--context: applied over the live read.")
    var files: [String] = []

    @Option(name: .long, help: "text, json or sarif.")
    var format: String = "text"

    @Option(name: .customLong("fail-on"), help: "Exit 1 on findings at this level or worse: error or warning.")
    var failOn: String = "error"

    @Option(name: .long, help: "Suppress findings: \"PH0301 until=2027-01-31 reason=...\" (repeatable; reason required).")
    var suppress: [String] = []

    func validate() throws {
        if allNamespaces && namespace != nil { throw ValidationError("-A and -n exclude each other") }
        guard FindingsFormat(rawValue: format) != nil else { throw ValidationError("--format takes text, json or sarif") }
        guard ["error", "warning"].contains(failOn) else { throw ValidationError("--fail-on takes error or warning") }
    }

    func run() async throws {
        InterruptGuard.shared.install()  // Ctrl-C also stops the kubectl reads, in their own process groups
        let live = files.isEmpty || cluster.kubeconfig != nil || cluster.context != nil
        let request = CheckRequest(live: live, kube: cluster.kube, namespace: namespace, files: files,
                                   format: FindingsFormat(rawValue: format)!, failOn: failOn == "warning" ? .warning : .error,
                                   suppressions: suppress)
        let status = await RunCheck(request, findings: porthole.findings).execute(liveContext(verbose: false))
        if status != .goalReached { throw ExitCode(status.rawValue) }
    }
}

/// `porthole plan`: the approaches ranked for this cluster.
struct PlanCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "Rank the approaches for this cluster, with a reason each.")

    @OptionGroup var cluster: ClusterOptions
    @Option(name: .customShort("f"), help: "Manifests to read instead of (or, with --kubeconfig/--context, over) the live cluster.")
    var files: [String] = []
    @Option(name: .long, help: "text or json.") var format: String = "text"

    func run() async throws {
        InterruptGuard.shared.install()  // Ctrl-C also stops the kubectl reads, in their own process groups
        let live = files.isEmpty || cluster.kubeconfig != nil || cluster.context != nil
        let status = await RunPlan(kube: cluster.kube, live: live, files: files, json: format == "json", findings: porthole.findings)
            .execute(liveContext(verbose: false))
        if status != .goalReached { throw ExitCode(status.rawValue) }
    }
}

/// `porthole explain CODE`: a finding's doc page.
struct ExplainCLI: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Print the doc page of a finding code (e.g. PH0201).")
    @Argument(help: "A finding code, PH followed by four digits.") var code: String

    func run() throws {
        let status = ExplainFinding(code: code).execute(liveContext(verbose: false))
        if status != .goalReached { throw ExitCode(status.rawValue) }
    }
}

/// `porthole diagnose`: checks plus every playbook's probes, read-only, from one read of the cluster.
struct DiagnoseCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Full read-only diagnosis: findings, the plan, and every playbook's probes from one read of the cluster."
    )
    @OptionGroup var cluster: ClusterOptions
    @Option(name: .long, help: "text or json.") var format: String = "text"

    func run() async throws {
        InterruptGuard.shared.install()  // Ctrl-C also stops the kubectl reads, in their own process groups
        let status = await RunDiagnosis(kube: cluster.kube, json: format == "json", findings: porthole.findings).execute(liveContext(verbose: false))
        if status != .goalReached { throw ExitCode(status.rawValue) }
    }
}
