import Foundation
import PortholeKube

/// Compares objects the way drift matters to an operator: server bookkeeping is ignored.
public enum ObjectComparison {
    /// metadata fields the server rewrites on every write.
    static let bookkeeping = ["resourceVersion", "managedFields", "generation", "creationTimestamp", "uid", "selfLink"]

    /// The object without server bookkeeping and without `status` (controllers write status all the
    /// time; it is not what porthole changed).
    public static func normalized(_ o: JSONValue) -> JSONValue {
        var out = o
        out["status"] = nil
        if var meta = out["metadata"] {
            for k in bookkeeping { meta[k] = nil }
            out["metadata"] = meta
        }
        return out
    }

    /// What `kubectl replace` takes to put an object back.
    public static func restorable(_ o: JSONValue) -> JSONValue { normalized(o) }

    public static func same(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?): return normalized(x) == normalized(y)
        default: return false
        }
    }

    /// Like `same`, for a recorded object the journal stored masked: a recorded `<masked: ...>` (a whole value or a
    /// part of a string, such as a password inside kubectl's last-applied annotation) matches whatever stands there
    /// now. Masking the live object instead would depend on which secrets this process happens to know.
    public static func sameAllowingMasks(recorded: JSONValue?, now: JSONValue?) -> Bool {
        switch (recorded, now) {
        case (nil, nil): return true
        case let (x?, y?): return matches(normalized(x), normalized(y))
        default: return false
        }
    }

    static func matches(_ recorded: JSONValue, _ now: JSONValue) -> Bool {
        switch (recorded, now) {
        case let (.object(a), .object(b)):
            return a.keys.sorted() == b.keys.sorted() && a.allSatisfy { k, v in matches(v, b[k]!) }
        case let (.array(a), .array(b)):
            return a.count == b.count && zip(a, b).allSatisfy { matches($0, $1) }
        case let (.string(a), _) where a.contains("<masked: "):
            return maskedPattern(a).map { now.plainText.range(of: $0, options: .regularExpression) != nil } ?? false
        default:
            return recorded == now
        }
    }

    /// `^literal(.*)literal$` with every `<masked: ...>` as a wildcard.
    static func maskedPattern(_ text: String) -> String? {
        guard let re = try? NSRegularExpression(pattern: "<masked: [^>]*>") else { return nil }
        var out = "^"
        var last = text.startIndex
        for m in re.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let r = Range(m.range, in: text) else { return nil }
            out += NSRegularExpression.escapedPattern(for: String(text[last..<r.lowerBound])) + "(?s:.*)"
            last = r.upperBound
        }
        return out + NSRegularExpression.escapedPattern(for: String(text[last...])) + "$"
    }

    /// A line diff of the two objects' pretty JSON (`-` recorded, `+` now), for the drift question.
    public static func diff(recorded: JSONValue?, now: JSONValue?) -> String {
        let a = recorded.map { normalized($0).prettyJSON.split(separator: "\n").map(String.init) } ?? ["(absent)"]
        let b = now.map { normalized($0).prettyJSON.split(separator: "\n").map(String.init) } ?? ["(absent)"]
        // Longest common subsequence: objects are small, quadratic is fine.
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var out: [String] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] { i += 1; j += 1; continue }
            if j < b.count, i == a.count || lcs[i][j + 1] >= lcs[i + 1][j] { out.append("+ " + b[j]); j += 1 } else { out.append("- " + a[i]); i += 1 }
        }
        return out.joined(separator: "\n")
    }
}
