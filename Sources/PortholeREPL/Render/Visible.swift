import Foundation

/// Text typed by the operator, safe to print back: control characters in caret notation (`^[` for
/// ESC), so an escape sequence typed with Ctrl-V is shown, not obeyed by the terminal.
enum Visible {
    static func text(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            if u.value < 0x20 { out += "^" + String(UnicodeScalar(UInt8(u.value + 0x40))) }
            else if u.value == 0x7F { out += "^?" }
            else if (0x80..<0xA0).contains(u.value) { out += "\\u{\(String(u.value, radix: 16))}" }
            else { out.unicodeScalars.append(u) }
        }
        return out
    }
}
