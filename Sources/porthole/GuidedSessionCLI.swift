import ArgumentParser
import Foundation
import PortholeCore
import PortholeLab
import PortholeREPL

extension RunCLI {
    /// No `--playbook`: the guided session (PortholeREPL), on the terminal or on piped commands,
    /// against `--kubeconfig`/`--context` or a lab started here with `--lab`.
    func runGuidedSession() async throws {
        var inputs: [String: String] = [:]
        for pair in variables {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else { throw ValidationError("--var wants name=value, got `\(pair)`") }
            inputs[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        var options = SessionOptions(kube: cluster.kube, variables: inputs, journalPath: journal)
        options.transcriptPath = transcript
        var instance: LabInstance?
        let labJournal = lab != nil && journal == nil ? LabJournal() : nil
        defer { labJournal?.remove() }
        if let j = labJournal { options.journalPath = j.path; options.clusterEndsWithSession = true }
        // SIGTERM (and, piped, SIGINT) wait for a write in progress and its journal line, then stop (InterruptGuard).
        // On a terminal Ctrl-C belongs to the session (cancel a probe, ask before leaving); piped, it ends the run.
        InterruptGuard.shared.install(signals: isatty(STDIN_FILENO) == 1 ? [SIGTERM] : [SIGINT, SIGTERM])
        if let scenario = lab {
            let started = try startLab(try labTuning.options(scenario: scenario), logger: labLogger(verbose: verbose))
            options.kube = KubeOptions(kubeconfig: started.kubeconfigPath, context: nil)
            InterruptGuard.shared.onInterrupt { [started] in started.stop() }
            instance = started
        }
        let code = await InteractiveSession.run(context: liveContext(verbose: verbose), options: options)
        instance?.stop()
        if code != 0 { throw ExitCode(code) }
    }
}
