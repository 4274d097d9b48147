import Foundation

/// One command typed at the porthole prompt, parsed. Pure: no terminal, no cluster.
public enum ReplCommand: Equatable, Sendable {
    case help(topic: String?)
    case status
    case playbooks
    case use(playbook: String)
    case run
    case next
    case step(id: String)
    case probe
    case explain(code: String?)
    case fix
    case apply
    case skip
    case back
    case undo(target: UndoTarget)
    case vars
    case set(key: String, value: String)
    case export(path: String)
    case quit
    /// Nothing typed.
    case empty
    /// A known command with wrong arguments; `usage` says how to call it.
    case badArguments(command: String, usage: String)
    /// An unknown word, with the closest known command when one is close enough.
    case unknown(word: String, suggestion: String?)

    public enum UndoTarget: Equatable, Sendable { case last, entry(Int), all }
}

public extension ReplCommand {
    /// Parses a line. Words are split on whitespace; `set` keeps everything after `=` as the value.
    static func parse(_ line: String) -> ReplCommand {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return .empty }
        let words = trimmed.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let name = words[0].lowercased()
        let args = Array(words.dropFirst())
        func usage() -> ReplCommand { .badArguments(command: name, usage: CommandCatalog.usage(of: name) ?? name) }
        switch name {
        case "help", "?", "h": return .help(topic: args.first)
        case "status": return args.isEmpty ? .status : usage()
        case "playbooks", "ls": return .playbooks
        case "use": return args.count == 1 ? .use(playbook: args[0]) : usage()
        case "run": return .run
        case "next", "n": return .next
        case "step": return args.count == 1 ? .step(id: args[0]) : usage()
        case "probe": return .probe
        case "explain", "why": return .explain(code: args.first)
        case "fix": return .fix
        case "apply": return .apply
        case "skip": return .skip
        case "back": return .back
        case "undo":
            if args.isEmpty { return .undo(target: .last) }
            if args == ["all"] { return .undo(target: .all) }
            if args.count == 1, let n = Int(args[0]), n > 0 { return .undo(target: .entry(n)) }
            return usage()
        case "vars": return .vars
        case "set":
            let rest = trimmed.dropFirst(words[0].count).trimmingCharacters(in: .whitespaces)
            guard let eq = rest.firstIndex(of: "="), eq != rest.startIndex else { return usage() }
            let key = rest[..<eq].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, !key.contains(" ") else { return usage() }
            return .set(key: key, value: String(rest[rest.index(after: eq)...]))
        case "export": return args.count == 1 ? .export(path: args[0]) : usage()
        case "quit", "exit", "q": return .quit
        default:
            return .unknown(word: words[0], suggestion: Suggest.closest(to: name, among: CommandCatalog.names))
        }
    }
}
