import Foundation

/// The undo journal of a `--lab` run (unless `--journal` names one): a file of its own, removed with the lab.
/// The lab's cluster ends with the run, so its pending undos must not linger in the per-context journal and
/// show up as pending in later lab runs.
struct LabJournal {
    let directory = NSTemporaryDirectory() + "porthole-lab-journal-\(getpid())-\(UUID().uuidString.prefix(8))"
    var path: String { directory + "/journal.jsonl" }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
