import Foundation

/// Istio's regexes are RE2. ICU (NSRegularExpression) accepts more than RE2, so the constructs RE2
/// lacks (lookaround, backreferences, possessive quantifiers) are refused first.
enum RE2Check {
    /// Nil when `pattern` compiles as RE2; otherwise Go's `regexp` style of explanation.
    static func error(_ pattern: String) -> String? {
        for bad in ["(?=", "(?!", "(?<=", "(?<!", "(?>"] where pattern.contains(bad) {
            return "error parsing regexp: invalid or unsupported Perl syntax: `\(bad)`"
        }
        if pattern.range(of: #"\\[1-9]"#, options: .regularExpression) != nil {
            return "error parsing regexp: invalid escape sequence: `\\\(pattern.range(of: #"\\[1-9]"#, options: .regularExpression).map { String(pattern[$0].dropFirst()) } ?? "1")`"
        }
        if let first = pattern.first, "*+?".contains(first) {
            return "error parsing regexp: missing argument to repetition operator: `\(first)`"
        }
        if (try? NSRegularExpression(pattern: pattern)) == nil {
            return "error parsing regexp: invalid regular expression: `\(pattern)`"
        }
        return nil
    }

    /// Envoy's `safe_regex` matches the whole path.
    static func fullMatch(_ pattern: String, _ text: String) -> Bool {
        guard error(pattern) == nil, let re = try? NSRegularExpression(pattern: "^(?:" + pattern + ")$") else { return false }
        return re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
