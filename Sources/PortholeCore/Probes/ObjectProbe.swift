import Foundation
import PortholeKube

/// `object`: objects of one resource, answered from the shared snapshot (no kubectl call of its own).
///
/// ```yaml
/// - id: gwsvc
///   object: {resource: services, namespace: istio-system, name: istio-ingressgateway}
/// ```
/// Result: `{found, object}` for a name, `{items, count}` for a list, `{error}` when the kind is not served.
public enum ObjectProbe {
    public static func run(_ probe: Probe, query: ObjectQuery, in env: ProbeEnvironment) async throws -> ProbeRecord {
        let start = env.context.clock.now
        var target = query.resource
        if let ns = query.namespace { target += " -n \(ns)" }
        if let n = query.name { target += " \(n)" }
        if let s = query.selector { target += " -l \(s)" }
        let document: JSONValue
        var command: [String]?
        do {
            let snap = try await env.snapshots.snapshot()
            command = snap.commands.last
            document = snap.answer(query)
        } catch let e as KubectlOutputError {
            document = ["error": .string(e.description)]
            command = e.command
        }
        let status: String
        if let e = document["error"]?.stringValue { status = "error: \(e)" } else if let f = document["found"]?.boolValue {
            status = f ? "found" : "not found"
        } else {
            status = "\(document["count"]?.intValue ?? 0) found"
        }
        let output = document["object"].map(\.prettyJSON) ?? document["items"].map { items in
            (items.arrayValue ?? []).map { o in
                [o["metadata"]?["namespace"]?.stringValue, o["metadata"]?["name"]?.stringValue].compactMap { $0 }.joined(separator: "/")
            }.joined(separator: "\n")
        } ?? ""
        return ProbeRecord(probe: probe.id, kind: "object", command: command, target: target, status: status,
                           output: trimmedOutput(output), document: document,
                           duration: env.context.clock.now.timeIntervalSince(start))
    }
}
