import Foundation

/// Judges an Envoy/Istio regular expression, which is Google RE2.
///
/// Approximation: RE2 is not available here, so `NSRegularExpression` (ICU) compiles the pattern, and the
/// constructs ICU accepts but RE2 rejects are flagged explicitly (lookaround, backreferences, possessive
/// quantifiers, atomic groups), as are the classic glob-style mistakes (a leading `*`, `+` or `?`,
/// which both reject). A pattern RE2 accepts and ICU rejects would be misjudged; such patterns are rare
/// (RE2's `\C`, `\pN` without braces are handled by ICU the same or not used in routes).
public enum RegexCheck {
    /// Why `pattern` is not a valid RE2 expression, or nil when it is (as far as the approximation tells).
    public static func problem(_ pattern: String) -> String? {
        if pattern.isEmpty { return nil }
        if let first = pattern.first, "*+?".contains(first) {
            return "it starts with '\(first)', a repetition of nothing (a glob, not a regex): write '.\(first)' or use prefix"
        }
        for marker in ["|*", "|+", "(*", "(+", "(?*"] where pattern.contains(marker) {
            return "'\(marker)' repeats nothing"
        }
        let unsupported: [(String, String)] = [
            ("(?=", "lookahead"), ("(?!", "negative lookahead"), ("(?<=", "lookbehind"), ("(?<!", "negative lookbehind"),
            ("(?>", "atomic group"), ("*+", "possessive quantifier"), ("++", "possessive quantifier"), ("?+", "possessive quantifier"),
        ]
        for (marker, what) in unsupported where pattern.contains(marker) && !escaped(marker, in: pattern) {
            return "RE2 does not support \(what) '\(marker)'"
        }
        if let r = pattern.range(of: #"\\[1-9]"#, options: .regularExpression), !escaped(String(pattern[r]), in: pattern) {
            return "RE2 does not support backreferences ('\(pattern[r])')"
        }
        do {
            _ = try NSRegularExpression(pattern: pattern)
        } catch {
            return "it does not compile"
        }
        return nil
    }

    /// True when every occurrence of `marker` is preceded by a backslash (a literal, not syntax).
    private static func escaped(_ marker: String, in pattern: String) -> Bool {
        var search = pattern.startIndex..<pattern.endIndex
        while let r = pattern.range(of: marker, range: search) {
            let before = r.lowerBound > pattern.startIndex ? pattern[pattern.index(before: r.lowerBound)] : " "
            if before != "\\" { return false }
            search = r.upperBound..<pattern.endIndex
        }
        return true
    }
}
