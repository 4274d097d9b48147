import Foundation
import Logging
import PortholeKube
@testable import PortholeLab

/// A small scenario reader for the simulation's own tests (lab-api's loader is the real one):
/// the `LabScenario` document becomes a `LabTopology`, every other document goes into the store.
enum SimFixtures {
    static let kinds: [String: ResourceKey] = [
        "v1/Namespace": ResourceKey(group: "", resource: "namespaces"),
        "v1/ConfigMap": ResourceKey(group: "", resource: "configmaps"),
        "v1/Pod": ResourceKey(group: "", resource: "pods"),
        "v1/Service": ResourceKey(group: "", resource: "services"),
        "networking.istio.io/Gateway": ResourceKey(group: "networking.istio.io", resource: "gateways"),
        "networking.istio.io/VirtualService": ResourceKey(group: "networking.istio.io", resource: "virtualservices"),
        "networking.istio.io/DestinationRule": ResourceKey(group: "networking.istio.io", resource: "destinationrules"),
        "security.istio.io/PeerAuthentication": ResourceKey(group: "security.istio.io", resource: "peerauthentications"),
        "security.istio.io/AuthorizationPolicy": ResourceKey(group: "security.istio.io", resource: "authorizationpolicies"),
        "metallb.io/IPAddressPool": ResourceKey(group: "metallb.io", resource: "ipaddresspools"),
        "metallb.io/L2Advertisement": ResourceKey(group: "metallb.io", resource: "l2advertisements"),
        "networking.k8s.io/Ingress": ResourceKey(group: "networking.k8s.io", resource: "ingresses"),
        "networking.k8s.io/IngressClass": ResourceKey(group: "networking.k8s.io", resource: "ingressclasses"),
        "gateway.networking.k8s.io/Gateway": ResourceKey(group: "gateway.networking.k8s.io", resource: "gateways"),
        "gateway.networking.k8s.io/HTTPRoute": ResourceKey(group: "gateway.networking.k8s.io", resource: "httproutes"),
        "gateway.networking.k8s.io/ReferenceGrant": ResourceKey(group: "gateway.networking.k8s.io", resource: "referencegrants"),
        "install.istio.io/IstioOperator": ResourceKey(group: "install.istio.io", resource: "istiooperators"),
    ]
    static let clusterScoped: Set<String> = ["namespaces", "ingressclasses"]

    /// The repository's `scenarios/` directory.
    static var scenarioDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scenarios")
    }

    /// Reads a shipped scenario; `replacing` rewrites addresses so tests running side by side never share a port.
    static func text(_ name: String, replacing: [String: String] = [:]) throws -> String {
        var t = try String(contentsOf: scenarioDirectory.appendingPathComponent("\(name).yaml"), encoding: .utf8)
        for (a, b) in replacing { t = t.replacingOccurrences(of: a, with: b) }
        return t
    }

    /// A shipped scenario with every loopback address moved to a third octet of its own, so tests
    /// that open listeners can run side by side (and beside other suites using the shipped addresses).
    static func isolated(_ name: String, replacing: [String: String] = [:]) throws -> (text: String, shift: (String) -> String) {
        let k = nextShift()
        let shift: (String) -> String = { addr in
            let p = addr.split(separator: ".").compactMap { Int($0) }
            guard p.count == 4, p[0] == 127 else { return addr }
            return "127.\(p[1]).\((p[2] + k) % 256).\(p[3])"
        }
        var text = try self.text(name, replacing: replacing)
        let re = try NSRegularExpression(pattern: #"127\.\d{1,3}\.\d{1,3}\.\d{1,3}"#)
        for m in re.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
            let r = Range(m.range, in: text)!
            text.replaceSubrange(r, with: shift(String(text[r])))
        }
        return (text, shift)
    }

    private static let shiftLock = NSLock()
    nonisolated(unsafe) private static var shiftCounter = 0
    private static func nextShift() -> Int {
        shiftLock.lock(); defer { shiftLock.unlock() }
        shiftCounter += 1
        return 16 + shiftCounter * 3
    }

    static func load(_ text: String, into store: ObjectStore = ObjectStore()) throws -> (ObjectStore, LabTopology) {
        var topology: LabTopology?
        for (doc, _) in try JSONValue.yamlDocuments(text) {
            guard case .object = doc else { continue }
            if doc["kind"]?.stringValue == "LabScenario" {
                topology = try JSONDecoder().decode(LabTopology.self, from: doc.jsonData())
                continue
            }
            try put(doc, into: store)
        }
        guard let t = topology else { throw FixtureError.noLabDocument }
        return (store, t)
    }

    /// Stores one object by its apiVersion group and kind.
    static func put(_ doc: JSONValue, into store: ObjectStore) throws {
        let apiVersion = doc["apiVersion"]?.stringValue ?? ""
        let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : "v1"
        guard let key = kinds["\(group)/\(doc["kind"]?.stringValue ?? "")"] else { throw FixtureError.unknownKind(apiVersion, doc["kind"]?.stringValue ?? "") }
        let ns = clusterScoped.contains(key.resource) ? "" : (doc.namespace.isEmpty ? "default" : doc.namespace)
        store.put(ObjectRef(key, namespace: ns, name: doc.name), doc)
    }

    static func yaml(_ text: String) -> JSONValue { (try? JSONValue.yaml(text)) ?? .null }

    static let logger: Logger = {
        var l = Logger(label: "porthole.lab.sim.tests")
        l.logLevel = .warning
        return l
    }()

    enum FixtureError: Error { case noLabDocument, unknownKind(String, String) }
}
