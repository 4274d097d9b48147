import Foundation

/// How many times a read is tried, and how long to wait between tries.
public struct RetryPolicy: Sendable, Hashable {
    public var attempts: Int
    /// The first wait; each later one doubles, up to `cap`, then takes a jitter of -50%...+50%.
    public var baseDelay: Double
    public var cap: Double

    public init(attempts: Int = 4, baseDelay: Double = 0.25, cap: Double = 4) {
        self.attempts = attempts
        self.baseDelay = baseDelay
        self.cap = cap
    }

    /// The wait before try `attempt + 1` (attempt counts from 1); a 429 waits at least a second,
    /// as a server asking to slow down means.
    func delay(after attempt: Int, failure: TransientFailure, jitter: Double) -> Double {
        let exp = min(cap, baseDelay * pow(2, Double(attempt - 1)))
        let wait = exp * (0.5 + jitter)
        return failure == .tooManyRequests ? max(1, wait) : wait
    }
}

/// A failure of the API server that a later try of the same read may not see: worth retrying a READ.
/// kubectl has already retried what carried a Retry-After header (client-go does), so this is the rest.
public enum TransientFailure: String, Sendable, Hashable {
    case serverError = "the server answered 500 (internal error)"
    case unavailable = "the server answered 503 (unavailable)"
    case tooManyRequests = "the server answered 429 (too many requests)"
    case badGateway = "the server answered 502/504 (gateway error)"
    case connectionReset = "the connection was reset or closed without an answer"
    case malformedBody = "the server answered with a body that is not the JSON kubectl expects (malformed JSON or an HTML page)"
    case incompleteDiscovery = "discovery could not list every API group"

    /// Classifies kubectl's stderr; nil for a failure that is the request's own (NotFound, Forbidden, invalid).
    static func classify(_ stderr: String) -> TransientFailure? {
        let s = stderr.lowercased()
        if s.contains("toomanyrequests") || s.contains("too many requests") || s.contains("try again later") { return .tooManyRequests }
        if s.contains("serviceunavailable") || s.contains("service unavailable") || s.contains("currently unable to handle the request") { return .unavailable }
        if s.contains("internalerror") || s.contains("internal error") || s.contains("an error on the server") { return .serverError }
        if s.contains("badgateway") || s.contains("bad gateway") || s.contains("gateway timeout") { return .badGateway }
        if s.contains("connection reset") || s.contains("unexpected eof") || s.contains("broken pipe") || s.contains(": eof") { return .connectionReset }
        if s.contains("invalid character") || s.contains("unexpected end of json") || s.contains("json parse error")
            || s.contains("<!doctype") || s.contains("<html") || s.contains("serializer for text/html") { return .malformedBody }
        // kubectl names the groups but not the status ("... server APIs: metrics.k8s.io/v1beta1: <message>").
        if s.contains("unable to retrieve the complete list of server apis") { return .incompleteDiscovery }
        return nil
    }
}

/// kubectl's own message without client-go's klog lines (`E1128 06:10:45.72 2964 memcache.go:287] ...`),
/// which repeat it less readably; all of it when nothing else is left.
func withoutKlogLines(_ stderr: String) -> String {
    let lines = stderr.split(separator: "\n")
    let kept = lines.filter { $0.range(of: "^[EWIF][0-9]{4} [0-9:.]+ ", options: .regularExpression) == nil }
    return kept.isEmpty ? stderr : kept.joined(separator: "\n")
}

public extension Kubectl {
    /// True when `args` only read (`get`, `version`, `api-resources`, `auth can-i`...): safe to run again.
    static func isRead(_ args: [String]) -> Bool {
        guard let verb = args.first(where: { !$0.hasPrefix("-") }) else { return false }
        if verb == "auth" { return args.contains("can-i") }
        return ["get", "version", "api-resources", "api-versions", "describe", "explain", "cluster-info"].contains(verb)
    }

    /// kubectl already retried until its `--request-timeout`: trying again would only multiply the wait.
    static func spentItsDeadline(_ stderr: String) -> Bool {
        let s = stderr.lowercased()
        return s.contains("deadline exceeded") || s.contains("timeout awaiting") || s.contains("i/o timeout")
    }

    /// Runs a READ (`get`, `api-resources`, `version`), trying again after a transient server failure with
    /// exponential backoff and jitter, at most `retry.attempts` times. Never call it for a write: a write
    /// that failed ambiguously may have happened, so it is re-read and reported instead (see `FixApplier`).
    func read(_ args: [String], timeout: Double) async throws -> CommandResult {
        var attempt = 1
        while true {
            let r = try await run(args, timeout: timeout)
            guard r.exitCode != 0, !r.timedOut, !Self.spentItsDeadline(r.stderrText), let failure = TransientFailure.classify(r.stderrText),
                  attempt < retry.attempts else { return r }
            let wait = retry.delay(after: attempt, failure: failure, jitter: Double.random(in: 0..<1))
            context.logger.debug("kubectl read failed transiently; retrying",
                                 metadata: ["attempt": "\(attempt)", "failure": "\(failure.rawValue)", "wait": "\(formatDuration(wait))"])
            await context.clock.sleep(seconds: wait)
            attempt += 1
        }
    }
}
