import Foundation
import PortholeFindings
import PortholeKube

/// `findings`: runs porthole's built-in checks over the snapshot and what the step's http and tcp probes saw
/// (so a timed-out nodePort can be told from a firewall); passes when none of `codes` is raised.
///
/// ```yaml
/// - id: vs
///   findings: {codes: [PH0301, PH0302], namespace: istio-system}
/// ```
/// Result: `{raised: [codes], findings: [{code, level, message, object, arguments}]}` (`arguments`: the values
/// the message was made from, e.g. `arguments.prefix` of PH0116).
public enum FindingsProbe {
    public static func run(_ probe: Probe, codes: [String], namespace: String?, observations: [OutsideObservation] = [],
                           in env: ProbeEnvironment) async throws -> ProbeRecord {
        let start = env.context.clock.now
        guard let checks = env.findings.checks else {
            return ProbeRecord(probe: probe.id, kind: "findings", target: codes.joined(separator: ", "), status: "unavailable",
                               document: ["error": "the findings checks are not available in this build"])
        }
        let doc: JSONValue
        var command: [String]?
        do {
            let snap = try await env.snapshots.snapshot()
            command = snap.commands.last
            let raised = checks.check(snapshot: snap, namespace: namespace, observations: observations).filter { codes.contains($0.code) }
            doc = ["raised": .array(raised.map { .string($0.code) }),
                   "findings": .array(raised.map { ["code": .string($0.code), "level": .string($0.level.rawValue),
                                                     "message": .string($0.message), "object": .string($0.object),
                                                     "arguments": .object(($0.arguments ?? [:]).mapValues { .string($0) })] })]
        } catch let e as KubectlOutputError {
            doc = ["error": .string(e.description)]
            command = e.command
        }
        let raised = doc["raised"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return ProbeRecord(probe: probe.id, kind: "findings", command: command, target: codes.joined(separator: ", "),
                           status: doc["error"] != nil ? "error" : (raised.isEmpty ? "none raised" : raised.joined(separator: ", ")),
                           output: (doc["findings"]?.arrayValue ?? []).map { "\($0["code"]!.plainText) \($0["object"]!.plainText): \($0["message"]!.plainText)" }.joined(separator: "\n"),
                           document: doc, duration: env.context.clock.now.timeIntervalSince(start))
    }
}
