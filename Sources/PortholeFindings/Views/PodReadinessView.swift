import Foundation
import PortholeKube

/// A pod's readiness as its status tells it, and why it is not ready, in the words `kubectl describe pod` uses.
extension Pod {
    /// True or false from the `Ready` condition (what the endpoints controller reads); nil when the pod carries no
    /// status at all (an offline manifest), so nothing can be said.
    public var isReady: Bool? {
        let status = object.status
        guard !(status.objectValue ?? [:]).isEmpty else { return nil }
        let ready = (status["conditions"]?.arrayValue ?? []).first { $0["type"]?.stringValue == "Ready" }
        if let ready { return ready["status"]?.stringValue == "True" }
        // No Ready condition yet: ready only once it runs with every container ready.
        let containers = status["containerStatuses"]?.arrayValue ?? []
        return status["phase"]?.stringValue == "Running" && !containers.isEmpty && containers.allSatisfy { $0["ready"]?.boolValue == true }
    }

    /// Why the pod is not ready: unscheduled, a waiting or terminated container, or a failing readiness probe.
    public var notReadyReason: String {
        let status = object.status
        let phase = status["phase"]?.stringValue ?? "Pending"
        let conditions = status["conditions"]?.arrayValue ?? []
        if let scheduled = conditions.first(where: { $0["type"]?.stringValue == "PodScheduled" }), scheduled["status"]?.stringValue == "False" {
            let why = [scheduled["reason"]?.stringValue, scheduled["message"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
            return "Pending, not scheduled" + (why.isEmpty ? "" : " (\(why))")
        }
        var reasons: [String] = []
        for c in status["containerStatuses"]?.arrayValue ?? [] {
            let name = c["name"]?.stringValue ?? "?"
            let restarts = c["restartCount"]?.intValue ?? 0
            if let waiting = c["state"]?["waiting"], let reason = waiting["reason"]?.stringValue {
                var text = "container \(name) \(reason)"
                if reason == "CrashLoopBackOff" {
                    text += " (restarted \(restarts) times"
                    if let code = c["lastState"]?["terminated"]?["exitCode"]?.intValue { text += ", last exit code \(code)" }
                    text += ")"
                } else if let message = waiting["message"]?.stringValue, !message.isEmpty {
                    text += " (\(message))"
                }
                reasons.append(text)
            } else if let t = c["state"]?["terminated"] {
                let reason = t["reason"]?.stringValue ?? "terminated"
                reasons.append("container \(name) terminated: \(reason) (exit code \(t["exitCode"]?.intValue ?? 0))")
            }
        }
        if !reasons.isEmpty { return (phase == "Running" ? "" : "\(phase), ") + reasons.joined(separator: "; ") }
        if phase != "Running" { return "phase \(phase)" + (status["reason"]?.stringValue.map { " (\($0))" } ?? "") }
        let ready = conditions.first { $0["type"]?.stringValue == "Ready" }
        let detail = ready?["message"]?.stringValue.map { " (\($0))" } ?? ""
        return "running but not ready: its readiness probe fails\(detail)"
    }
}
