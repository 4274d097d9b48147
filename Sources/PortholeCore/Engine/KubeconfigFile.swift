import Foundation
import PortholeKube

/// Reads the current context and its server from kubeconfig files, the way kubectl merges them, without
/// running kubectl: a diagnosis then costs one kubectl call less, and a kubeconfig that does not parse is
/// reported with its file and line.
public enum KubeconfigFile {
    /// `--kubeconfig`, else every file of `$KUBECONFIG` (colon-separated), else `~/.kube/config`.
    public static func paths(_ kube: KubeOptions, environment: [String: String]) -> [String] {
        if let k = kube.kubeconfig { return [k] }
        if let list = environment["KUBECONFIG"], !list.isEmpty { return list.split(separator: ":").map(String.init) }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return [(home as NSString).appendingPathComponent(".kube/config")]
    }

    /// The context in use and its server. First file to set a value wins, as kubectl merges.
    /// Throws `EnvironmentError.kubeconfigInvalid` naming the file (and line) when one does not parse.
    public static func summary(_ kube: KubeOptions, context: PortholeContext) throws -> (context: String?, server: String?) {
        var current: String?
        var contexts: [String: String] = [:]
        var servers: [String: String] = [:]
        var readAny = false
        for path in paths(kube, environment: context.environment) {
            guard context.files.exists(path) else {
                if kube.kubeconfig != nil { throw EnvironmentError.kubeconfigInvalid(detail: "\(path): no such file") }
                continue
            }
            let doc: JSONValue
            do {
                let text = String(decoding: try context.files.read(path), as: UTF8.self)
                doc = try JSONValue.yaml(text)
            } catch let YAMLValueError.syntax(mark, detail) {
                throw EnvironmentError.kubeconfigInvalid(detail: "\(path)\(mark.map { ":\($0)" } ?? ""): not YAML: \(detail.split(separator: "\n").first ?? "")")
            } catch let YAMLValueError.unsupported(mark, detail) {
                throw EnvironmentError.kubeconfigInvalid(detail: "\(path):\(mark): \(detail)")
            } catch {
                throw EnvironmentError.kubeconfigInvalid(detail: "\(path): \(error)")
            }
            readAny = true
            if case .null = doc { continue }
            guard case .object = doc else { throw EnvironmentError.kubeconfigInvalid(detail: "\(path): not a kubeconfig (expected a mapping)") }
            if current == nil, let c = doc["current-context"]?.stringValue, !c.isEmpty { current = c }
            for c in doc["contexts"]?.arrayValue ?? [] {
                if let name = c["name"]?.stringValue, contexts[name] == nil, let cluster = c["context"]?["cluster"]?.stringValue { contexts[name] = cluster }
            }
            for c in doc["clusters"]?.arrayValue ?? [] {
                if let name = c["name"]?.stringValue, servers[name] == nil, let server = c["cluster"]?["server"]?.stringValue { servers[name] = server }
            }
        }
        guard readAny else { throw EnvironmentError.kubeconfigInvalid(detail: "no kubeconfig found (\(paths(kube, environment: context.environment).joined(separator: ", ")))") }
        let chosen = kube.context ?? current
        guard let name = chosen else { throw EnvironmentError.kubeconfigInvalid(detail: "no current context is set; pass --context") }
        guard let cluster = contexts[name] else { throw EnvironmentError.kubeconfigInvalid(detail: "context \"\(name)\" does not exist in the kubeconfig") }
        return (name, servers[cluster])
    }
}
