import Foundation

/// A decision to accept a finding for a while, with a reason. Suppressed findings are kept and marked.
///
/// Text form (annotation value and `--suppress` flag), entries separated by `;`:
/// `PH0301,PH0302 until=2027-01-31 object=virtualservice/default/prometheus reason=free text to the end`.
/// `reason=` is required and takes the rest of the entry; `until=` is the last day it applies (UTC);
/// `object=kind/namespace/name` (or `kind/name`) narrows a scope-level suppression to one object.
/// The annotation is `porthole.dev/suppress` on the object itself or on its namespace.
public struct Suppression: Sendable, Hashable, Codable {
    public var codes: [String]
    public var until: String?
    public var object: String?
    public var reason: String

    public init(codes: [String], until: String? = nil, object: String? = nil, reason: String) {
        self.codes = codes; self.until = until; self.object = object; self.reason = reason
    }

    /// The annotation key porthole reads on objects and namespaces.
    public static let annotation = "porthole.dev/suppress"

    /// Why a suppression text could not be read.
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case noCode(entry: String)
        case badCode(String)
        case badDate(String)
        case noReason(entry: String)
        case unknownKey(String)

        public var description: String {
            switch self {
            case .noCode(let e): return "suppression '\(e)' names no code (PHxxxx)"
            case .badCode(let c): return "'\(c)' is not a finding code (PH + 4 digits)"
            case .badDate(let d): return "until=\(d) is not a date (YYYY-MM-DD)"
            case .noReason(let e): return "suppression '\(e)' has no reason= (a reason is required)"
            case .unknownKey(let k): return "unknown suppression key '\(k)' (known: until, object, reason)"
            }
        }
    }

    /// Parses every `;`-separated entry of `text`.
    public static func parseAll(_ text: String) throws -> [Suppression] {
        try text.split(whereSeparator: { $0 == ";" || $0 == "\n" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .map(parse)
    }

    /// Parses one entry.
    public static func parse(_ entry: String) throws -> Suppression {
        var head = entry
        var reason: String?
        if let r = entry.range(of: "reason=") {
            reason = entry[r.upperBound...].trimmingCharacters(in: .whitespaces)
            head = String(entry[..<r.lowerBound])
        }
        var words = head.split(separator: " ").map(String.init)
        guard let first = words.first, !first.contains("=") else { throw ParseError.noCode(entry: entry) }
        words.removeFirst()
        let codes = first.split(separator: ",").map { $0.uppercased() }
        for c in codes where !FindingCatalog.isWellFormed(c) { throw ParseError.badCode(c) }
        var until: String?, object: String?
        for w in words {
            let kv = w.split(separator: "=", maxSplits: 1).map(String.init)
            switch (kv.first, kv.count) {
            case ("until", 2):
                guard endOfDay(kv[1]) != nil else { throw ParseError.badDate(kv[1]) }
                until = kv[1]
            case ("object", 2): object = kv[1].lowercased()
            default: throw ParseError.unknownKey(w)
            }
        }
        guard let reason, !reason.isEmpty else { throw ParseError.noReason(entry: entry) }
        return Suppression(codes: codes, until: until, object: object, reason: reason)
    }

    /// True while `now` is on or before the `until` day (UTC); always true without `until`.
    public func isActive(at now: Date) -> Bool {
        guard let until else { return true }
        guard let end = Suppression.endOfDay(until) else { return false }
        return now < end
    }

    /// True when this suppression covers `finding` (code and, if given, object).
    public func covers(_ finding: Finding) -> Bool {
        guard codes.contains(finding.code) else { return false }
        guard let object else { return true }
        guard let o = finding.object else { return false }
        let kind = o.kind.lowercased()
        return object == "\(kind)/\(o.namespace ?? "")/\(o.name)" || (o.namespace == nil && object == "\(kind)/\(o.name)")
    }

    /// The first instant after the day `date` (YYYY-MM-DD, UTC).
    static func endOfDay(_ date: String) -> Date? {
        let parts = date.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, date.count == 10, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        var c = DateComponents()
        c.year = parts[0]; c.month = parts[1]; c.day = parts[2]
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        guard let start = cal.date(from: c), cal.component(.day, from: start) == parts[2] else { return nil }
        return start.addingTimeInterval(86_400)
    }
}
