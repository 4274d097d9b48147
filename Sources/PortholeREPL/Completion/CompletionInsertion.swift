import Foundation

/// What Tab inserts after the word before the cursor, given the completer's candidates.
enum CompletionInsertion {
    /// The common prefix's missing part; a single candidate is closed with a space, except one that
    /// expects more right after it: a directory (`dir/`) or a variable (`port=`), whose value follows
    /// with no space (`set port= 80` would give the value " 80").
    static func text(word: String, candidates: [String]) -> String? {
        let common = commonPrefix(candidates)
        guard common.count > word.count else { return nil }
        var insert = String(common.dropFirst(word.count))
        if candidates.count == 1 && !insert.hasSuffix("/") && !insert.hasSuffix("=") { insert += " " }
        return insert
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for w in words.dropFirst() {
            while !w.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
