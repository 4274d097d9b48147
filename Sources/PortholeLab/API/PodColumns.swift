import Foundation
import PortholeKube

/// The READY, STATUS and RESTARTS columns of `kubectl get pods`, computed as the API server's pod printer
/// does: a waiting or terminated container's reason wins over the phase (`CrashLoopBackOff`,
/// `ImagePullBackOff`, `Error`), and only running, ready containers count as ready.
enum PodColumns {
    static func ready(_ pod: JSONValue) -> String {
        let statuses = pod["status"]?["containerStatuses"]?.arrayValue ?? []
        let total = max(pod["spec"]?["containers"]?.arrayValue?.count ?? 0, statuses.count)
        // A hand-written status may leave `state` out; a ready container in it counts as running.
        let ready = statuses.filter { $0["ready"]?.boolValue == true && ($0["state"] == nil || $0["state"]?["running"] != nil) }.count
        return "\(ready)/\(total)"
    }

    static func status(_ pod: JSONValue) -> String {
        let st = pod["status"] ?? [:]
        var reason = st["reason"]?.stringValue ?? st["phase"]?.stringValue ?? "Pending"
        var running = false
        for c in (st["containerStatuses"]?.arrayValue ?? []).reversed() {
            let state = c["state"] ?? [:]
            if let w = state["waiting"]?["reason"]?.stringValue, !w.isEmpty { reason = w }
            else if let t = state["terminated"] {
                if let r = t["reason"]?.stringValue, !r.isEmpty { reason = r }
                else if let sig = t["signal"]?.intValue, sig != 0 { reason = "Signal:\(sig)" }
                else { reason = "ExitCode:\(t["exitCode"]?.intValue ?? 0)" }
            } else if state["running"] != nil, c["ready"]?.boolValue == true { running = true }
        }
        if reason == "Completed" && running {
            let ready = (st["conditions"]?.arrayValue ?? []).first { $0["type"]?.stringValue == "Ready" }?["status"]?.stringValue
            reason = ready == "True" ? "Running" : "NotReady"
        }
        if pod["metadata"]?["deletionTimestamp"] != nil { reason = "Terminating" }
        return reason
    }

    /// The restart count, with "(AGE ago)" of the last restart when a container's last state says when it ended.
    static func restarts(_ pod: JSONValue, now: Date) -> String {
        let statuses = pod["status"]?["containerStatuses"]?.arrayValue ?? []
        let count = statuses.reduce(0) { $0 + ($1["restartCount"]?.intValue ?? 0) }
        let formatter = ISO8601DateFormatter()
        let last = statuses.compactMap { $0["lastState"]?["terminated"]?["finishedAt"]?.stringValue }
            .compactMap { formatter.date(from: $0) }.max()
        guard count > 0, let last else { return String(count) }
        return "\(count) (\(TableRenderer.age(formatter.string(from: last), now: now)) ago)"
    }
}
