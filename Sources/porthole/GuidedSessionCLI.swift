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
        if let scenario = lab {
            let started = try startLab(try labTuning.options(scenario: scenario), logger: labLogger(verbose: verbose))
            options.kube = KubeOptions(kubeconfig: started.kubeconfigPath, context: nil)
            // On a terminal Ctrl-C belongs to the session (cancel a probe, ask before leaving); piped, it ends the run.
            if isatty(STDIN_FILENO) == 1 { GuidedSessionLab.stopOnTerminate(started) } else { LabStopper(started).stopOnSignal() }
            instance = started
        }
        let code = await InteractiveSession.run(context: liveContext(verbose: verbose), options: options)
        instance?.stop()
        if code != 0 { throw ExitCode(code) }
    }
}

/// Keeps the lab's SIGTERM source alive for the whole session.
enum GuidedSessionLab {
    nonisolated(unsafe) static var sources: [DispatchSourceSignal] = []

    static func stopOnTerminate(_ lab: LabInstance) {
        signal(SIGTERM, SIG_IGN)
        let s = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        s.setEventHandler { lab.stop(); Foundation.exit(143) }
        s.resume()
        sources.append(s)
    }
}
