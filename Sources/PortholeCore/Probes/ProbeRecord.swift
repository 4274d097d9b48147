import Foundation
import PortholeKube

/// What one probe run left behind: what ran, what it said, how long it took, and the result
/// document matchers read. Recorded in the session and rendered in transcripts.
public struct ProbeRecord: Sendable, Hashable, Codable {
    public var probe: String
    public var kind: String
    /// The exact argv (kubectl), when the probe ran a command.
    public var command: [String]?
    /// What was probed, for people: `GET http://127.0.0.1:31399/-/ready`, `tcp 127.0.0.1:31399`, `services`.
    public var target: String
    /// Short status: `exit 0`, `200`, `refused`, `found`, `skipped`.
    public var status: String
    /// Trimmed output (stdout, body) for the transcript.
    public var output: String
    public var document: JSONValue
    public var duration: Double
    /// Set when the probe did not run (an unset variable).
    public var skipped: String?

    public init(probe: String, kind: String, command: [String]? = nil, target: String, status: String, output: String = "",
                document: JSONValue, duration: Double = 0, skipped: String? = nil) {
        self.probe = probe
        self.kind = kind
        self.command = command
        self.target = target
        self.status = status
        self.output = output
        self.document = document
        self.duration = duration
        self.skipped = skipped
    }

    /// A record for a probe that could not run because `variable` had no value.
    static func skipped(_ probe: Probe, variable: String) -> ProbeRecord {
        let why = "variable \(variable) is not set"
        return ProbeRecord(probe: probe.id, kind: probe.kind.name, target: probe.kind.name, status: "skipped",
                           document: ["skipped": .string(why)], skipped: why)
    }
}

/// Output kept for people: at most `limit` characters, cut on a line boundary, saying how much was cut.
public func trimmedOutput(_ text: String, limit: Int = 4000) -> String {
    let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard t.count > limit else { return t }
    var cut = String(t.prefix(limit))
    if let nl = cut.lastIndex(of: "\n") { cut = String(cut[..<nl]) }
    return cut + "\n… (\(t.count - cut.count) more characters)"
}
