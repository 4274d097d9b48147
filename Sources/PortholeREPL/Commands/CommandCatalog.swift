import Foundation

/// The commands of a session, with their one-line help, in the order `help` lists them.
public enum CommandCatalog {
    public struct Entry: Sendable {
        public let name: String
        public let usage: String
        public let summary: String
    }

    public static let entries: [Entry] = [
        Entry(name: "help", usage: "help [command]", summary: "list commands, or explain one"),
        Entry(name: "status", usage: "status", summary: "what porthole saw in the cluster, the playbook and step in progress"),
        Entry(name: "playbooks", usage: "playbooks", summary: "the approaches, ranked for this cluster"),
        Entry(name: "use", usage: "use PLAYBOOK", summary: "choose an approach (Tab completes its id)"),
        Entry(name: "run", usage: "run", summary: "run steps until the next decision"),
        Entry(name: "next", usage: "next", summary: "run only the next step"),
        Entry(name: "step", usage: "step STEP", summary: "jump to a step of the playbook"),
        Entry(name: "probe", usage: "probe", summary: "run the current step's probes again"),
        Entry(name: "explain", usage: "explain [CODE]", summary: "why this step matters; a finding's cause, fix and doc"),
        Entry(name: "fix", usage: "fix", summary: "show the proposed change, its diff and the server's dry run"),
        Entry(name: "apply", usage: "apply", summary: "apply the proposed change (asks first; records its undo)"),
        Entry(name: "skip", usage: "skip", summary: "leave this step and go on"),
        Entry(name: "back", usage: "back", summary: "go back one step"),
        Entry(name: "undo", usage: "undo [N|all]", summary: "revert the newest change, the N newest (as `porthole undo N`), or all of them"),
        Entry(name: "vars", usage: "vars", summary: "the playbook's variables and their values"),
        Entry(name: "set", usage: "set KEY=VALUE", summary: "change a variable"),
        Entry(name: "export", usage: "export FILE.md", summary: "write the session transcript as markdown"),
        Entry(name: "quit", usage: "quit", summary: "leave (lists the changes still to undo first)"),
    ]

    public static var names: [String] { entries.map(\.name) }

    public static func usage(of name: String) -> String? { entries.first { $0.name == name }?.usage }

    /// The short names the parser also accepts, so `help exit` explains `quit` as `exit` runs it.
    public static let aliases: [String: String] = ["?": "help", "h": "help", "ls": "playbooks", "n": "next",
                                                   "why": "explain", "exit": "quit", "q": "quit"]

    public static func entry(_ name: String) -> Entry? {
        let n = name.lowercased()
        return entries.first { $0.name == (aliases[n] ?? n) }
    }
}

/// "Did you mean": the closest word by edit distance, when it is close enough to be a typo.
public enum Suggest {
    public static func closest(to word: String, among candidates: [String]) -> String? {
        // Case never matters: finding codes are upper case, variables camelCase, what is typed either.
        let w = word.lowercased()
        if let prefixed = candidates.first(where: { $0.lowercased().hasPrefix(w) && w.count >= 2 }) { return prefixed }
        let scored = candidates.map { ($0, distance(w, $0.lowercased())) }.sorted { $0.1 < $1.1 }
        guard let best = scored.first, best.1 <= max(1, min(3, w.count / 2)) else { return nil }
        return best.0
    }

    /// Levenshtein distance.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }
}
