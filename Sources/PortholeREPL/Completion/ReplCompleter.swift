import Foundation

/// What completion can offer besides command names; the session supplies it live.
public protocol CompletionSource: AnyObject {
    var playbookIDs: [String] { get }
    var stepIDs: [String] { get }
    var variableNames: [String] { get }
    var findingCodes: [String] { get }
}

/// Tab completion for the session: commands, then per command playbook ids, step ids, variable names,
/// finding codes, or file paths (for `export`).
public final class ReplCompleter: Completer {
    public weak var source: CompletionSource?
    private let fileManager: FileManager

    public init(source: CompletionSource?, fileManager: FileManager = .default) {
        self.source = source
        self.fileManager = fileManager
    }

    public func completions(line: String, word: String) -> [String] {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let completingFirst = words.isEmpty || (words.count == 1 && !line.hasSuffix(" "))
        if completingFirst { return CommandCatalog.names.filter { $0.hasPrefix(word.lowercased()) } }
        let pool: [String]
        switch words[0].lowercased() {
        case "use": pool = source?.playbookIDs ?? []
        case "step": pool = source?.stepIDs ?? []
        case "set": pool = (source?.variableNames ?? []).map { $0 + "=" }
        case "explain": return (source?.findingCodes ?? []).filter { $0.hasPrefix(word.uppercased()) }.sorted()
        case "help": pool = CommandCatalog.names
        case "undo": pool = ["all"]
        case "export": return paths(matching: word)
        default: pool = []
        }
        return pool.filter { $0.hasPrefix(word) }.sorted()
    }

    /// Files and directories whose path starts with `word`; directories end with "/".
    func paths(matching word: String) -> [String] {
        let expanded = (word as NSString).expandingTildeInPath
        let dir: String, prefix: String, shownDir: String
        if word.hasSuffix("/") {
            dir = expanded; prefix = ""; shownDir = word
        } else if word.contains("/") {
            dir = (expanded as NSString).deletingLastPathComponent
            prefix = (expanded as NSString).lastPathComponent
            shownDir = String(word[..<word.index(after: word.lastIndex(of: "/")!)])
        } else {
            dir = "."; prefix = word; shownDir = ""
        }
        guard let names = try? fileManager.contentsOfDirectory(atPath: dir.isEmpty ? "/" : dir) else { return [] }
        return names.filter { $0.hasPrefix(prefix) && (prefix.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted().map { name in
            var isDir: ObjCBool = false
            fileManager.fileExists(atPath: (dir as NSString).appendingPathComponent(name), isDirectory: &isDir)
            return shownDir + name + (isDir.boolValue ? "/" : "")
        }
    }
}
