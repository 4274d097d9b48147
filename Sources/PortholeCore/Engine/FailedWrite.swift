import Foundation
import PortholeKube

/// After a write that failed (an error status, a reset, a timeout): the write may or may not have happened.
/// porthole never repeats it; it re-reads the targets and says what it found, so the operator decides.
enum FailedWrite {
    /// One line per target: changed, unchanged, created or gone, judged on `spec`, labels and annotations.
    static func report(_ targets: [JournalTarget]) -> String {
        var lines = ["the write failed and was not repeated; re-read afterwards:"]
        for t in targets {
            let name = "\(t.resource) \(t.namespace.map { "\($0)/" } ?? "")\(t.name)"
            switch (t.prior, t.post) {
            case (nil, nil): lines.append("  \(name): still absent (not created)")
            case (nil, .some): lines.append("  \(name): now exists (the write took effect; `porthole undo` removes it)")
            case (.some, nil): lines.append("  \(name): now absent (the write took effect)")
            case (let a?, let b?):
                lines.append(essence(a) == essence(b) ? "  \(name): unchanged (the write did not take effect)"
                                                      : "  \(name): changed (the write took effect; `porthole undo` restores it)")
            }
        }
        if targets.isEmpty { lines.append("  (the fix names no target to re-read; check the cluster before running it again)") }
        return lines.joined(separator: "\n")
    }

    private static func essence(_ o: JSONValue) -> [JSONValue?] {
        [o["spec"], o["data"], o["metadata"]?["labels"], o["metadata"]?["annotations"]]
    }
}
