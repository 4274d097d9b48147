import Foundation

/// Every code porthole can raise, gathered from the checks that define them.
public enum FindingCatalog {
    /// All definitions, sorted by code.
    public static let all: [FindingDefinition] = FindingChecks.all
        .flatMap { $0.definitions }
        .sorted { $0.code < $1.code }

    private static let byCode: [String: FindingDefinition] = Dictionary(
        all.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })

    /// Codes whose checks were retired. They stay listed here forever so that no new check reuses them.
    public static let retired: Set<String> = []

    /// The definition of `code` (`PH0201`), or nil when no such code exists.
    public static func lookup(_ code: String) -> FindingDefinition? { byCode[code.uppercased()] }

    /// Repository-relative path of the doc page of `code` (`docs/findings/PH0201.md`), or nil for an unknown code.
    /// The core reads the file (installed or source tree); this module does no I/O.
    public static func explain(_ code: String) -> String? { lookup(code)?.docPath }

    /// True when `text` has the shape of a code (`PH` + four digits), known or not.
    public static func isWellFormed(_ text: String) -> Bool {
        text.count == 6 && text.hasPrefix("PH") && text.dropFirst(2).allSatisfy { $0.isASCII && $0.isNumber }
    }
}
