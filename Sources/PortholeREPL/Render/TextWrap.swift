import Foundation

/// Wraps prose to the terminal width (80 columns by default), keeping words whole.
enum TextWrap {
    /// Lines of at most `width` characters; continuation lines get `indent`. Words longer than a line
    /// (URLs, commands) stay whole on their own line.
    static func wrap(_ text: String, width: Int = 80, first: String = "", indent: String = "") -> [String] {
        var out: [String] = []
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        for paragraph in trimmed.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = out.isEmpty ? first : indent
            var lineHasWord = false
            for word in paragraph.split(separator: " ") {
                if lineHasWord && line.count + 1 + word.count > width {
                    out.append(line)
                    line = indent
                    lineHasWord = false
                }
                line += (lineHasWord ? " " : "") + word
                lineHasWord = true
            }
            out.append(line)
        }
        return out
    }
}
