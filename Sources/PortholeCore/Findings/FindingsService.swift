import Foundation
import PortholeFindings
import PortholeKube

/// What the catalog says about one finding code (rendered in transcripts and `explain`).
public struct FindingInfo: Sendable, Hashable, Codable {
    public var code: String
    public var level: VerdictLevel
    public var title: String
    public var cause: String
    public var fix: String
    /// `docs/findings/PHxxxx.md`
    public var docLink: String

    public init(code: String, level: VerdictLevel, title: String, cause: String, fix: String, docLink: String) {
        self.code = code
        self.level = level
        self.title = title
        self.cause = cause
        self.fix = fix
        self.docLink = docLink
    }
}

/// One finding raised by a check over the snapshot.
public struct RaisedFinding: Sendable, Hashable, Codable {
    public var code: String
    public var level: VerdictLevel
    public var message: String
    /// `kind/namespace/name` of the object it concerns.
    public var object: String
    /// The values the message was made from (`prefix`, `port`...), as text, for playbook captures; nil when unknown.
    public var arguments: [String: String]?

    public init(code: String, level: VerdictLevel, message: String, object: String, arguments: [String: String]? = nil) {
        self.code = code
        self.level = level
        self.message = message
        self.object = object
        self.arguments = arguments
    }
}

/// Looks finding codes up. Core's side of the contract with PortholeFindings (whose `FindingCatalog`
/// adapts to it), so Core compiles and is tested before and apart from the catalog.
public protocol FindingCatalogLookup: Sendable {
    func knows(code: String) -> Bool
    func info(code: String) -> FindingInfo?
}

/// Runs the built-in checks over the snapshot (pure: objects in, findings out).
public protocol FindingCheckRunner: Sendable {
    /// Resource names (as kubectl takes them) the checks read; they join the batched snapshot.
    var resources: [String] { get }
    /// The findings over `snapshot` and what the operator's probes saw from outside (`observations`: the checks
    /// that judge a timed-out nodePort or Envoy's own 404 need them; the others ignore them).
    func check(snapshot: ObjectSnapshot, namespace: String?, observations: [OutsideObservation]) -> [RaisedFinding]
}

/// Both halves, as the engine and loader receive them.
public struct FindingsService: Sendable {
    public var catalog: FindingCatalogLookup
    /// nil: no checks are wired; a `findings` probe then reports an error instead of passing.
    public var checks: FindingCheckRunner?

    public init(catalog: FindingCatalogLookup, checks: FindingCheckRunner?) {
        self.catalog = catalog
        self.checks = checks
    }

    /// Until a catalog is wired: any well-formed `PHxxxx` code is accepted, none has details.
    public static let unwired = FindingsService(catalog: CodeFormatCatalog(), checks: nil)
}

/// A catalog that only knows the code format (`PH` + 4 digits).
public struct CodeFormatCatalog: FindingCatalogLookup {
    public init() {}
    public func knows(code: String) -> Bool { code.range(of: "^PH[0-9]{4}$", options: .regularExpression) != nil }
    public func info(code: String) -> FindingInfo? { nil }
}
