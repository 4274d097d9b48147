import Foundation

/// One fault the lab injects, parsed from `--fault SPEC`.
///
/// SPEC is `KIND[,key=value...]`:
/// - `500`, `503`, `429` answer that status (a Kubernetes `Status` body; `retry-after=N` adds the header);
/// - `stall=DURATION` delays the answer (then answers normally);
/// - `reset` closes the connection with a RST, without an answer;
/// - `bad-json` answers 200 with truncated JSON; `html` answers 200 with an HTML page (a proxy's login page);
/// - `drop=ADDRESS` closes every data-plane listener on ADDRESS (`after=SECONDS` into the run; 0 by default).
///
/// Keys for the API faults: `share=0.5` (the share of matching requests hit, drawn from the seeded generator;
/// 1 by default), `path=/apis/networking.istio.io` (only paths with this prefix), `method=GET`, `count=N`
/// (only the first N matching requests: a transient fault), `dry-run=no` (spare server-side dry runs, so a
/// fix's dry run passes and its real write fails).
public struct LabFault: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case status(Int)
        case stall(seconds: Double)
        case reset
        case malformedJSON
        case html
        case dropAddress(String)
    }

    public var kind: Kind
    public var share: Double = 1
    public var pathPrefix: String? = nil
    public var method: String? = nil
    public var count: Int? = nil
    public var retryAfter: Int? = nil
    /// Spare `dryRun=All` requests.
    public var sparesDryRun = false
    /// Seconds after the lab starts (for `drop`).
    public var after: Double = 0
    /// The text it was parsed from, for messages.
    public var spec: String

    public init(kind: Kind, spec: String) { self.kind = kind; self.spec = spec }

    public var description: String { spec }

    /// Whether the fault concerns this request at all (before share and count).
    func matches(method m: String, path: String, query: String) -> Bool {
        if case .dropAddress = kind { return false }
        if sparesDryRun, query.split(separator: "&").contains("dryRun=All") { return false }
        if let p = pathPrefix, !path.hasPrefix(p) { return false }
        if let want = method, want.uppercased() != m.uppercased() { return false }
        return true
    }
}

/// A `--fault` SPEC that does not parse.
public struct LabFaultError: Error, Sendable, Equatable, CustomStringConvertible {
    public var spec: String
    public var detail: String
    public var description: String { "--fault '\(spec)': \(detail)" }
}
