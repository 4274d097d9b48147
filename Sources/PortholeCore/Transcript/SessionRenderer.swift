import Foundation

/// Output formats of a session.
public enum TranscriptFormat: String, Sendable, CaseIterable {
    case markdown, json, text
}

/// A renderer of the session value (goss's outputs: one value, many plug-ins).
public protocol SessionRenderer: Sendable {
    func render(_ session: Session) -> String
}

/// The one way out for a session: masked first, then rendered.
public enum Transcript {
    public static func render(_ session: Session, as format: TranscriptFormat, catalog: FindingCatalogLookup = CodeFormatCatalog()) -> String {
        let masked = Redactor().redact(session)
        switch format {
        case .markdown: return MarkdownTranscript(catalog: catalog).render(masked)
        case .json: return JSONTranscript().render(masked)
        case .text: return TextSummary().render(masked)
        }
    }
}

/// The session as JSON (sorted keys, ISO 8601 times): what `--format json` prints.
public struct JSONTranscript: SessionRenderer {
    public init() {}
    public func render(_ session: Session) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return String(decoding: (try? e.encode(session)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
    }
}

/// How a moment is written in transcripts.
func timestamp(_ d: Date) -> String {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    return f.string(from: d)
}

extension VerdictLevel {
    var label: String {
        switch self {
        case .pass: return "PASS"
        case .warn: return "WARN"
        case .fail: return "FAIL"
        }
    }
}
