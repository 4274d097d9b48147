import Foundation

/// Moves a scenario to another block of loopback addresses, so that several labs can run at once.
///
/// Every `127.a.b.c` in the scenario text but 127.0.0.1 (localhost: the operator's machine, or a bind address in a
/// pod's arguments) becomes `127.a.(b+k mod 256).c`: the same shift for every address,
/// so nodes stay on their segments (a /24 moves whole), pools stay inside them and the notes' picture is
/// unchanged; `standsFor` still names the real addresses. Slot 0 is the scenario as written.
public enum AddressRelocation {
    /// How many blocks a lab tries before it waits for the first one.
    public static let slots = 24

    /// The third-octet shift of `slot` (0 for the scenario as written).
    public static func shift(slot: Int) -> Int { slot == 0 ? 0 : 17 + slot * 9 }

    /// `text` with every loopback address shifted for `slot`.
    public static func relocate(_ text: String, slot: Int) -> String {
        let k = shift(slot: slot)
        guard k != 0, let re = try? NSRegularExpression(pattern: #"(?<![0-9.])127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![0-9])"#) else { return text }
        var out = text
        for m in re.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
            guard let r = Range(m.range, in: out), String(text[r]) != "127.0.0.1",
                  let b = Int(String(text[Range(m.range(at: 2), in: text)!])), b < 256 else { continue }
            let a = String(text[Range(m.range(at: 1), in: text)!]), c = String(text[Range(m.range(at: 3), in: text)!])
            out.replaceSubrange(r, with: "127.\(a).\((b + k) % 256).\(c)")
        }
        return out
    }
}
