import Foundation
import PortholeKube

/// Before a run: which context and server the kubeconfig names (read offline: kubectl's dispatcher would
/// contact the server even for `config view`), then whether the server answers (`kubectl version`).
/// Fails with `EnvironmentError` (exit 3) naming the server, within `timeout`.
public enum Preflight {
    public static func check(_ kube: KubeOptions, context: PortholeContext, timeout: Double = 5) async throws -> ClusterInfo {
        let kubectl = Kubectl(options: kube, context: context)
        var info = ClusterInfo(kubeconfig: kube.kubeconfig ?? context.environment["KUBECONFIG"], context: kube.context)
        // kubectl itself first: without it nothing else matters.
        guard Self.kubectlOnPath(context.environment) else { throw EnvironmentError.kubectlMissing }
        // Read offline (no kubectl call): one call fewer per run, and exact errors for a broken file.
        let summary = try KubeconfigFile.summary(kube, context: context)
        info.context = summary.context
        info.server = summary.server
        // kubectl gives up a second early so that its own message usually wins the race with our kill;
        // either way the check ends within `timeout`.
        let seconds = max(1, Int(timeout.rounded(.up)) - 1)
        let version = try await kubectl.read(["version", "-o", "json", "--request-timeout=\(seconds)s"], timeout: timeout)
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
            case .credentialsFailed(_, let d): throw EnvironmentError.credentialsFailed(server: server, detail: d)
            case .clusterFailing(_, let f, let d): throw EnvironmentError.clusterFailing(server: server, fault: f, detail: d)
            default: throw problem
            }
        }
        throw EnvironmentError.clusterUnreachable(server: server, detail: trimmedOutput(version.stderrText, limit: 400))
    }

    /// True when an executable `kubectl` is on `PATH` (or `PATH` is unset and the default lookup may find it).
    static func kubectlOnPath(_ environment: [String: String]) -> Bool {
        guard let path = environment["PATH"] else { return true }
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/kubectl") }
    }
}
