import Foundation

/// A string with `${name}` references, substituted per argument (never joined, never given to a shell).
///
/// `$${` writes a literal `${`. The parts are computed once so validation and substitution agree.
public struct Template: Sendable, Hashable {
    public enum Part: Sendable, Hashable {
        case text(String)
        case variable(String)
    }

    public let raw: String
    public let parts: [Part]

    /// Why a template could not be read.
    public enum ParseError: Error, Equatable, Sendable {
        case unterminated(offset: Int)
        case badName(String)
    }

    public init(_ raw: String) throws {
        self.raw = raw
        var parts: [Part] = []
        var text = ""
        let chars = Array(raw)
        var i = 0
        while i < chars.count {
            if chars[i] == "$", i + 2 < chars.count, chars[i + 1] == "$", chars[i + 2] == "{" {
                text += "${"
                i += 3
                continue
            }
            if chars[i] == "$", i + 1 < chars.count, chars[i + 1] == "{" {
                guard let close = chars[(i + 2)...].firstIndex(of: "}") else { throw ParseError.unterminated(offset: i) }
                let name = String(chars[(i + 2)..<close])
                guard Self.isName(name) else { throw ParseError.badName(name) }
                if !text.isEmpty { parts.append(.text(text)); text = "" }
                parts.append(.variable(name))
                i = close + 1
                continue
            }
            text.append(chars[i])
            i += 1
        }
        if !text.isEmpty { parts.append(.text(text)) }
        self.parts = parts
    }

    /// A name is letters, digits, `_` and `-`, starting with a letter or `_`.
    public static func isName(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, isLetter(f) || f == "_" else { return false }
        return s.unicodeScalars.allSatisfy { isLetter($0) || isDigit($0) || $0 == "_" || $0 == "-" }
    }

    // ASCII answered directly: Foundation's CharacterSet lookups dominated loading a playbook.
    private static func isLetter(_ c: Unicode.Scalar) -> Bool {
        c.isASCII ? (("a"..."z").contains(c) || ("A"..."Z").contains(c)) : CharacterSet.letters.contains(c)
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool {
        c.isASCII ? ("0"..."9").contains(c) : CharacterSet.alphanumerics.contains(c)
    }

    /// The variables this template uses, in order of first use.
    public var variables: [String] {
        var seen: [String] = []
        for case .variable(let n) in parts where !seen.contains(n) { seen.append(n) }
        return seen
    }

    /// The text with every variable replaced; throws `Unset` naming the first variable without a value.
    public func substitute(_ values: [String: String]) throws -> String {
        var out = ""
        for p in parts {
            switch p {
            case .text(let t): out += t
            case .variable(let n):
                guard let v = values[n] else { throw Unset(name: n) }
                out += v
            }
        }
        return out
    }

    /// The text with the variables that have a value replaced; the others stay written as `${name}`
    /// (for messages and titles shown to people, never for commands).
    public func substituteKnown(_ values: [String: String]) -> String {
        parts.map { part -> String in
            switch part {
            case .text(let t): return t.replacingOccurrences(of: "${", with: "$${")
            case .variable(let n): return values[n] ?? "${\(n)}"
            }
        }.joined().replacingOccurrences(of: "$${", with: "${")
    }

    /// Text for people: `substituteKnown` on any string (the raw string when it is not a template).
    public static func display(_ text: String, _ values: [String: String]) -> String {
        (try? Template(text))?.substituteKnown(values) ?? text
    }

    /// A variable a template needed had no value (a capture that found nothing).
    public struct Unset: Error, Equatable, Sendable {
        public let name: String
    }
}

public extension Template {
    /// Substitutes each argument separately: a value with spaces, quotes, `$(...)`, `;` or newlines
    /// stays inside the one argument it was written in.
    static func substitute(argv: [Template], _ values: [String: String]) throws -> [String] {
        try argv.map { try $0.substitute(values) }
    }
}
