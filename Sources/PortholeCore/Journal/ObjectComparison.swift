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
