import Foundation

/// A unified-style line diff with a little context, for showing what a fix changes in an object.
enum LineDiff {
    /// Lines prefixed "- " (before), "+ " (after) or "  " (context, `context` lines around changes);
    /// "  ..." marks skipped unchanged lines. Empty when the texts are equal.
    static func diff(_ before: [String], _ after: [String], context: Int = 2) -> [String] {
        let a = before, b = after
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var ops: [(Character, String)] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                ops.append((" ", a[i])); i += 1; j += 1
            } else if i < a.count, j == b.count || lcs[i + 1][j] >= lcs[i][j + 1] {
                ops.append(("-", a[i])); i += 1
            } else {
                ops.append(("+", b[j])); j += 1
            }
        }
        let changed = ops.indices.filter { ops[$0].0 != " " }
        guard !changed.isEmpty else { return [] }
        var keep = Set<Int>()
        for c in changed { for k in max(0, c - context)...min(ops.count - 1, c + context) { keep.insert(k) } }
        var out: [String] = []
        var skipped = false
        for (k, op) in ops.enumerated() {
            if keep.contains(k) {
                out.append("\(op.0) \(op.1)")
                skipped = false
            } else if !skipped {
                out.append("  ...")
                skipped = true
            }
        }
        return out
    }
}
