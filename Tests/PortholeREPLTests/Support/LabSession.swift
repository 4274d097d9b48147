import Foundation
import Logging
import PortholeCore
import PortholeKube
import PortholeLab
import PortholeREPL
import PortholeTestSupport

/// A real lab, real kubectl in an isolated environment, and a live context whose output is recorded:
/// what the scripted-session tests drive whole sessions against.
final class LabSession {
    let lab: LabInstance
    let kubectl: KubectlHarness
    let output = RecordingOutputSink()
    let dir: URL
    let context: PortholeContext

    init(scenario: String, apiLatency: Double = 0) throws {
        var options = LabOptions(scenario: scenario)
        options.useRealPrometheus = false
        options.apiLatency = apiLatency
        // Other suites start labs on the same fixed addresses: queue behind them.
        options.waitForOtherLab = 300
        lab = try LabInstance.start(options, logger: Logger(label: "repl-test"))
        kubectl = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        dir = URL(fileURLWithPath: kubectl.workDir)
        var env = kubectl.environment
        env["XDG_STATE_HOME"] = dir.appendingPathComponent("state").path
        var logger = Logger(label: "repl-test")
        logger.logLevel = .critical
        context = PortholeContext(commands: ProcessCommandRunner(), processes: PosixProcessLauncher(), network: SocketNetworkProber(), clock: SystemClock(),
                                  output: output, files: LocalFileSystem(), logger: logger, environment: env)
    }

    var options: SessionOptions {
        SessionOptions(kube: KubeOptions(kubeconfig: lab.kubeconfigPath), journalPath: dir.appendingPathComponent("journal.jsonl").path,
                       historyPath: dir.appendingPathComponent("history").path, style: .plain)
    }

    /// Runs a whole session on `reader`; returns its exit status.
    func run(_ reader: ScriptedLineReader) async -> ExitStatus {
        await InteractiveSession.run(context: context, options: options, reader: reader, style: .plain)
    }

    /// `kubectl get KIND -A -o json` items, without fields the server rewrites on every write.
    func objects(_ kinds: String) throws -> [String] {
        let r = try kubectl.run(["get", kinds, "-A", "-o", "json"])
        guard r.exitCode == 0, let list = try? JSONValue.parse(Data(r.stdout.utf8)) else { return ["kubectl failed: \(r)"] }
        return (list["items"]?.arrayValue ?? []).map { ObjectComparison.normalized($0).compactJSON }.sorted()
    }

    func stop() {
        lab.stop()
        kubectl.cleanup()
    }
}
