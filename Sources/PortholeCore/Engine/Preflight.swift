import Foundation
import PortholeKube

/// Before a run: which context and server the kubeconfig names (read here, offline: kubectl's dispatcher
/// would contact the server even for `config view`), then whether the server answers (`kubectl version`).
/// Fails with `EnvironmentError` (exit 3) naming the server, within `timeout`.
public enum Preflight {
    public static func check(_ kube: KubeOptions, context: PortholeContext, timeout: Double = 5) async throws -> ClusterInfo {
        let kubectl = Kubectl(options: kube, context: context)
        var info = try kubeconfig(kube, context: context)
        // kubectl gives up a second early so that its own message usually wins the race with our kill.
        let seconds = max(1, Int(timeout.rounded(.up)) - 1)
        let version = try await kubectl.run(["version", "-o", "json", "--request-timeout=\(seconds)s"], timeout: timeout)
        let parsed = try? JSONValue.parse(version.stdout)
        if let v = parsed?["serverVersion"]?["gitVersion"]?.stringValue {
            info.serverVersion = v
            return info
        }
        let server = info.server ?? "(unknown server)"
        if version.timedOut { throw EnvironmentError.clusterUnreachable(server: server, detail: "no answer within \(formatDuration(timeout))") }
        if let problem = await kubectl.environmentProblem(version) {
            switch problem {
            case .clusterUnreachable(_, let d): throw EnvironmentError.clusterUnreachable(server: server, detail: d)
            case .clusterRefused(_, let d): throw EnvironmentError.clusterRefused(server: server, detail: d)
            default: throw problem
            }
        }
        throw EnvironmentError.clusterUnreachable(server: server, detail: trimmedOutput(version.stderrText, limit: 400))
    }

    /// The context and server the kubeconfig selects: `--kubeconfig`, else the first file of `$KUBECONFIG`
    /// that exists, else `~/.kube/config`. A file that does not parse is `kubeconfigInvalid`.
    static func kubeconfig(_ kube: KubeOptions, context: PortholeContext) throws -> ClusterInfo {
        let env = context.environment
        let candidates = kube.kubeconfig.map { [$0] }
            ?? (env["KUBECONFIG"].map { $0.split(separator: ":").map(String.init) } ?? ["\(env["HOME"] ?? "~")/.kube/config"])
        guard let path = candidates.first(where: { context.files.exists($0) }) else {
            if let k = kube.kubeconfig { throw EnvironmentError.kubeconfigInvalid(detail: "\(k) does not exist") }
            return ClusterInfo(kubeconfig: candidates.first, context: kube.context)
        }
        let config: JSONValue
        do { config = try JSONValue.yaml(String(decoding: try context.files.read(path), as: UTF8.self)) } catch {
            throw EnvironmentError.kubeconfigInvalid(detail: "\(path) is not valid YAML (\(error))")
        }
        guard config.objectValue != nil else { throw EnvironmentError.kubeconfigInvalid(detail: "\(path) is not a kubeconfig mapping") }
        let name = kube.context ?? config["current-context"]?.stringValue
        let ctx = config["contexts"]?.arrayValue?.first { $0["name"]?.stringValue == name }
        if let n = kube.context, ctx == nil { throw EnvironmentError.kubeconfigInvalid(detail: "\(path) has no context \(n)") }
        let clusterName = ctx?["context"]?["cluster"]?.stringValue
        let cluster = config["clusters"]?.arrayValue?.first { $0["name"]?.stringValue == clusterName }
        return ClusterInfo(kubeconfig: path, context: name, server: cluster?["cluster"]?["server"]?.stringValue)
    }
}
