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
    /// Parses a line. Words are split on spaces and tabs; `set` keeps everything after `=` as the value
    /// (trimmed). A command that takes no argument refuses one, so `run nodeport` does not run the proposed
    /// playbook instead of nodeport.
    static func parse(_ line: String) -> ReplCommand {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return .empty }
        let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let name = words[0].lowercased()
        let args = Array(words.dropFirst())
        func usage() -> ReplCommand { .badArguments(command: name, usage: CommandCatalog.usage(of: name) ?? name) }
        func bare(_ command: ReplCommand) -> ReplCommand { args.isEmpty ? command : usage() }
        switch name {
        case "help", "?", "h": return args.count <= 1 ? .help(topic: args.first) : .badArguments(command: "help", usage: CommandCatalog.usage(of: "help")!)
        case "status": return bare(.status)
        case "playbooks", "ls": return args.isEmpty ? .playbooks : .badArguments(command: "playbooks", usage: "playbooks")
        case "use": return args.count == 1 ? .use(playbook: args[0]) : usage()
        case "run": return bare(.run)
        case "next", "n": return args.isEmpty ? .next : .badArguments(command: "next", usage: "next")
        case "step": return args.count == 1 ? .step(id: args[0]) : usage()
        case "probe": return bare(.probe)
        case "explain", "why": return args.count <= 1 ? .explain(code: args.first) : .badArguments(command: "explain", usage: CommandCatalog.usage(of: "explain")!)
        case "fix": return bare(.fix)
        case "apply": return bare(.apply)
        case "skip": return bare(.skip)
        case "back": return bare(.back)
        case "undo":
            if args.isEmpty { return .undo(target: .last) }
            if args == ["all"] { return .undo(target: .all) }
            if args.count == 1, let n = Int(args[0]), n > 0 { return .undo(target: .entry(n)) }
            return usage()
        case "vars": return bare(.vars)
        case "set":
            let rest = trimmed.dropFirst(words[0].count).trimmingCharacters(in: .whitespaces)
            guard let eq = rest.firstIndex(of: "="), eq != rest.startIndex else { return usage() }
            let key = rest[..<eq].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, !key.contains(" "), !key.contains("\t") else { return usage() }
            return .set(key: key, value: rest[rest.index(after: eq)...].trimmingCharacters(in: .whitespaces))
        case "export": return args.count == 1 ? .export(path: args[0]) : usage()
        case "quit", "exit", "q": return args.isEmpty ? .quit : .badArguments(command: "quit", usage: "quit")
        default:
            return .unknown(word: words[0], suggestion: Suggest.closest(to: name, among: CommandCatalog.names))
        }
    }
}
