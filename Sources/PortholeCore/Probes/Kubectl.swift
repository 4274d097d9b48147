import Foundation
import PortholeKube

/// How porthole reaches the cluster: which kubeconfig and context, and the request timeout.
public struct KubeOptions: Sendable, Hashable, Codable {
    public var kubeconfig: String?
    public var context: String?

    public init(kubeconfig: String? = nil, context: String? = nil) {
        self.kubeconfig = kubeconfig
        self.context = context
    }

    /// `kubectl [--kubeconfig F] [--context C] ARGS...`. Without `--kubeconfig`, kubectl itself
    /// honours `KUBECONFIG` from the environment the command runs with.
    public func argv(_ args: [String]) -> [String] {
        var out = ["kubectl"]
        if let k = kubeconfig { out += ["--kubeconfig", k] }
        if let c = context { out += ["--context", c] }
        return out + args
    }
}

/// Why porthole cannot talk to the cluster at all (exit code 3).
public enum EnvironmentError: Error, Sendable, Hashable, CustomStringConvertible {
    case kubectlMissing
    case kubeconfigInvalid(detail: String)
    case clusterUnreachable(server: String, detail: String)
    case clusterRefused(server: String, detail: String)
    /// The kubeconfig's credential plugin (exec: gke-gcloud-auth-plugin, aws, kubelogin...) or token refresh
    /// failed, so kubectl never asked the server: the cluster may be fine.
    case credentialsFailed(server: String, detail: String)
    /// The server answered, but with errors or garbage every time porthole asked (after retries).
    case clusterFailing(server: String, fault: String, detail: String)

    public var description: String {
        switch self {
        case .kubectlMissing:
            return "kubectl is not installed or not on PATH (install kubectl, then run porthole again)"
        case .kubeconfigInvalid(let d):
            return "the kubeconfig cannot be used: \(d)"
        case .clusterUnreachable(let s, let d):
            return "the cluster API server \(s) is unreachable: \(d)"
        case .clusterRefused(let s, let d):
            return "the cluster API server \(s) refused the request: \(d)"
        case .credentialsFailed(let s, let d):
            return "kubectl could not get credentials for \(s) (the kubeconfig's login plugin or token refresh failed; log in again, or install the plugin it names): \(d)"
        case .clusterFailing(let s, let f, let d):
            return "the cluster API server \(s) is failing (\(f)); no verdict was reached: \(d)"
        }
    }
}

/// Runs kubectl through the context and turns "cannot reach the cluster" into `EnvironmentError`.
public struct Kubectl: Sendable {
    public var options: KubeOptions
    public var context: PortholeContext
    /// How reads (`read(_:timeout:)`) are retried after transient server failures.
    public var retry = RetryPolicy()

    public init(options: KubeOptions, context: PortholeContext) {
        self.options = options
        self.context = context
    }

    /// Runs `kubectl ARGS`; a missing kubectl throws `EnvironmentError.kubectlMissing`.
    public func run(_ args: [String], stdin: Data? = nil, timeout: Double) async throws -> CommandResult {
        let argv = options.argv(args)
        context.logger.debug("run", metadata: ["argv": .string(Redactor().redact(ShellQuote.join(argv)))])
        do {
            // A read abandoned by its caller (Ctrl-C in a session) is killed, not left running to its timeout.
            return try await context.commands.run(Command(argv, environment: context.environment, stdin: stdin, timeout: timeout,
                                                          stopsOnCancel: Self.isRead(args)))
        } catch CommandError.notFound {
            throw EnvironmentError.kubectlMissing
        }
    }

    /// Classifies a failed call: an environment problem (exit 3), or nil when the failure is the
    /// command's own (NotFound, invalid object...).
    public func environmentProblem(_ r: CommandResult) async -> EnvironmentError? {
        let err = r.stderrText
        let lower = err.lowercased()
        let detail = trimmedOutput(withoutKlogLines(err), limit: 400)
        if r.timedOut {
            return .clusterUnreachable(server: server(err), detail: "kubectl gave no answer within \(formatDuration(r.duration))")
        }
        // Server faults first: an HTML or truncated body makes kubectl say "couldn't get version/kind", which
        // is not a broken kubeconfig.
        if let fault = TransientFailure.classify(err), fault != .connectionReset {
            return .clusterFailing(server: server(err), fault: fault.rawValue, detail: detail)
        }
        // Only kubectl's own words about the kubeconfig: a bad manifest also says "yaml: ..." and is not ours to call.
        let configSigns = ["error loading config file", "invalid configuration", "no configuration has been provided",
                           "couldn't get version/kind", "context was not found"]
        if configSigns.contains(where: lower.contains) { return .kubeconfigInvalid(detail: detail) }
        // kubectl wraps a failed credential plugin in "Unable to connect to the server": it never reached it.
        let credentialSigns = ["getting credentials", "exec plugin", "failed to refresh token", "refresh token", "executable file not found"]
        if credentialSigns.contains(where: lower.contains) { return .credentialsFailed(server: server(err), detail: detail) }
        let unreachable = ["connection refused", "was refused", "i/o timeout", "no such host", "unable to connect to the server",
                           "context deadline exceeded", "timeout awaiting", "no route to host", "connection reset by peer",
                           "network is unreachable", "tls: handshake", "x509: "]
        if unreachable.contains(where: lower.contains) { return .clusterUnreachable(server: server(err), detail: detail) }
        // A reset or EOF kubectl did not wrap in a timeout: the server answered, then dropped the connection.
        if TransientFailure.classify(err) == .connectionReset {
            return .clusterFailing(server: server(err), fault: TransientFailure.connectionReset.rawValue, detail: detail)
        }
        if lower.contains("unauthorized") || lower.contains("you must be logged in") {
            return .clusterRefused(server: server(err), detail: detail)
        }
        return nil
    }

    /// The API server's address: from kubectl's message when it names one, else from the kubeconfig.
    func server(_ stderr: String) -> String {
        if let r = stderr.range(of: "https?://[^\\s\"/]+", options: .regularExpression) { return String(stderr[r]) }
        if let r = stderr.range(of: "server [^\\s]+ was refused", options: .regularExpression) {
            return String(stderr[r].dropFirst("server ".count).dropLast(" was refused".count))
        }
        // Read the kubeconfig ourselves: kubectl's dispatcher would contact the server even for `config view`.
        return (try? KubeconfigFile.summary(options, context: context))?.server ?? "(unknown server)"
    }
}

public extension Kubectl {
    /// One object as it is now (`kubectl get R NAME -o json --ignore-not-found`), or nil when absent.
    ///
    /// Only an answer proves absence (`--ignore-not-found` prints nothing, or the kind is not served): a read that
    /// fails for any other reason (RBAC Forbidden, an error kubectl does not explain) throws. Taken for "absent", it
    /// would journal the undo of a change to an existing object as a `delete` of that object.
    func readObject(_ t: ObjectQuery) async throws -> JSONValue? {
        guard let name = t.name else { return nil }
        var args = ["get", t.resource, name, "-o", "json", "--ignore-not-found"]
        if let ns = t.namespace { args += ["-n", ns] }
        let r = try await read(args, timeout: 10)
        if r.exitCode != 0 {
            // A kind the cluster does not serve holds no object.
            if r.stderrText.contains("doesn't have a resource type") { return nil }
            throw await readFailure(r, args: args)
        }
        guard !r.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        do { return try JSONValue.parse(r.stdout) } catch {
            throw KubectlOutputError(command: options.argv(args), detail: "printed output that is not JSON (\(error))")
        }
    }

    /// Why a read failed, as the error to stop on: the environment (exit 3), a refusal by the server's authorization
    /// (RBAC `Forbidden`: this context may not read what porthole must read), or kubectl's own words.
    func readFailure(_ r: CommandResult, args: [String]) async -> Error {
        if let problem = await environmentProblem(r) { return problem }
        if Self.isForbidden(r.stderrText) {
            return EnvironmentError.clusterRefused(server: server(r.stderrText),
                                                   detail: trimmedOutput(withoutKlogLines(r.stderrText), limit: 400)
                                                       + " (porthole needs get and list on what it reads; `kubectl auth can-i --list` shows this context's rights)")
        }
        return KubectlOutputError(command: options.argv(args), detail: "failed: \(trimmedOutput(withoutKlogLines(r.stderrText), limit: 400))")
    }

    /// kubectl's words for a request the server's authorization refused.
    static func isForbidden(_ stderr: String) -> Bool { stderr.contains("(Forbidden)") || stderr.contains(" is forbidden: ") }
}

/// "250ms", "3s", "1.5s".
public func formatDuration(_ seconds: Double) -> String {
    if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
    let r = (seconds * 10).rounded() / 10
    return r == r.rounded() ? "\(Int(r))s" : "\(r)s"
}
