import Foundation
import PortholeKube

/// `kubectl`: runs `kubectl ARGS` (porthole adds `--kubeconfig`/`--context`), optionally parsing JSON.
///
/// ```yaml
/// - id: version
///   kubectl: {args: [version, -o, json], json: true}
/// ```
/// Result: `{exitCode, stdout, stderr, json}`; output that is not JSON gives `jsonError` naming the command.
public enum KubectlProbe {
    public static func run(_ probe: Probe, args: [String], json: Bool, in env: ProbeEnvironment) async throws -> ProbeRecord {
        let argv = env.kubectl.options.argv(args)
        // Reads are retried after transient server failures; anything else runs once.
        let r = Kubectl.isRead(args) ? try await env.kubectl.read(args, timeout: probe.timeout) : try await env.kubectl.run(args, timeout: probe.timeout)
        var doc: JSONValue = ["exitCode": .int(Int(r.exitCode)), "stdout": .string(r.stdoutText), "stderr": .string(r.stderrText)]
        var status = r.timedOut ? "timed out after \(formatDuration(probe.timeout))" : "exit \(r.exitCode)"
        if r.timedOut { doc["error"] = "timeout" }
        if r.exitCode != 0, let problem = await env.kubectl.environmentProblem(r) { throw problem }
        if json, r.exitCode == 0 {
            do { doc["json"] = try JSONValue.parse(r.stdout) } catch {
                let e = KubectlOutputError(command: argv, detail: "printed output that is not JSON (\(error))")
                doc["jsonError"] = .string(e.description)
                status = "output is not JSON"
            }
        }
        let out = r.exitCode == 0 ? r.stdoutText : r.stderrText
        return ProbeRecord(probe: probe.id, kind: "kubectl", command: argv, target: ShellQuote.join(argv), status: status,
                           output: trimmedOutput(out), document: doc, duration: r.duration)
    }
}
