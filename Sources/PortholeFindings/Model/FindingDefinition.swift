import Foundation

/// A catalog entry: one code with its level, message template, cause and fix template.
///
/// Templates use `{name}` placeholders filled from typed `FindingArgument`s; each definition lives
/// next to the check that raises it (see `Checks/`), and `FindingCatalog.all` lists them.
public struct FindingDefinition: Sendable, Hashable {
    public let code: String
    public let level: FindingLevel
    public let title: String
    public let template: String
    public let cause: String
    public let fixTemplate: String

    public init(code: String, level: FindingLevel, title: String, template: String, cause: String, fix: String) {
        self.code = code; self.level = level; self.title = title
        self.template = template; self.cause = cause; self.fixTemplate = fix
    }

    /// Repository-relative path of the doc page.
    public var docPath: String { "docs/findings/\(code).md" }

    /// The placeholder names the templates use.
    public var placeholders: Set<String> {
        Set(FindingDefinition.placeholders(in: template) + FindingDefinition.placeholders(in: fixTemplate))
    }

    /// Builds a finding about `object`, rendering message and fix from `arguments`.
    public func make(_ object: ObjectReference?, field: String? = nil, _ arguments: [String: FindingArgument]) -> Finding {
        Finding(
            code: code, level: level, title: title,
            message: FindingDefinition.render(template, arguments),
            arguments: arguments, cause: cause,
            fix: FindingDefinition.render(fixTemplate, arguments),
            doc: docPath, object: object, field: field, suppression: nil
        )
    }

    /// Replaces `{name}` (an identifier between braces) by its argument; any other brace is literal text,
    /// so templates can hold YAML such as `{number: {port}}`.
    static func render(_ template: String, _ arguments: [String: FindingArgument]) -> String {
        var out = ""
        scan(template) { piece in
            switch piece {
            case .text(let t): out += t
            case .placeholder(let name): out += arguments[name]?.description ?? "{\(name)}"
            }
        }
        return out
    }

    static func placeholders(in template: String) -> [String] {
        var names: [String] = []
        scan(template) { if case .placeholder(let n) = $0 { names.append(n) } }
        return names
    }

    private enum Piece { case text(Substring), placeholder(String) }

    private static func scan(_ template: String, _ emit: (Piece) -> Void) {
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            emit(.text(rest[..<open]))
            let after = rest.index(after: open)
            let name = rest[after...].prefix { $0.isLetter || $0.isNumber }
            let close = name.endIndex
            if let first = name.first, first.isLetter, close < rest.endIndex, rest[close] == "}" {
                emit(.placeholder(String(name)))
                rest = rest[rest.index(after: close)...]
            } else {
                emit(.text(rest[open..<after]))
                rest = rest[after...]
            }
        }
        emit(.text(rest))
    }
}
