import Foundation
import PortholeKube

extension FindingDefinition {
    static let installerWillRevert = FindingDefinition(
        code: "PH0801", level: .warning, title: "HandEditOnInstallerOwnedService",
        template: "{service} is owned by {installer}, and port {port} ({field}) is not in its installation: the next reconcile or upgrade removes it",
        cause: "Installers (IstioOperator, Helm) re-render the gateway Service from their own configuration and revert hand patches.",
        fix: "{lasting}")
}

/// Ports added by hand to a gateway Service an installer owns.
public enum InstallerOwnedServiceCheck: FindingCheck {
    public static let id = "installer-will-revert"
    public static var definitions: [FindingDefinition] { [.installerWillRevert] }

    /// The installer owning an object, from its labels and annotations.
    static func installer(_ o: KubeObject) -> String? {
        let l = o.labels, a = o.annotations
        if l["operator.istio.io/component"] != nil || l["operator.istio.io/managed"] != nil || l["install.operator.istio.io/owning-resource"] != nil {
            let owner = l["install.operator.istio.io/owning-resource"].flatMap { $0 == "unknown" ? nil : $0 }
            return owner.map { "the Istio installer (IstioOperator \($0))" } ?? "the Istio installer (istioctl / IstioOperator)"
        }
        if l["app.kubernetes.io/managed-by"] == "Helm" || a["meta.helm.sh/release-name"] != nil || l["helm.sh/chart"] != nil {
            return (a["meta.helm.sh/release-name"] ?? l["release"]).map { "Helm release \($0)" } ?? "Helm"
        }
        return nil
    }

    /// Managers whose writes are hand edits (what `kubectl edit`/`patch` record in managedFields).
    static let handManagers: Set<String> = ["kubectl-edit", "kubectl-patch", "kubectl"]

    /// Ports that `kubectl edit`/`patch` own according to managedFields; nil when the object carries none.
    static func handEditedPorts(_ o: KubeObject) -> Set<Int>? {
        guard let entries = o.raw["metadata"]?["managedFields"]?.arrayValue, !entries.isEmpty else { return nil }
        var out = Set<Int>()
        for e in entries where handManagers.contains(e["manager"]?.stringValue ?? "") {
            for key in (e["fieldsV1"]?["f:spec"]?["f:ports"]?.objectValue ?? [:]).keys where key.hasPrefix("k:") {
                if let p = (try? JSONValue.parse(String(key.dropFirst(2))))?["port"]?.intValue { out.insert(p) }
            }
        }
        return out
    }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        let declared = Set(s.istioOperators.flatMap(\.ingressGatewayPorts))
        var out: [Finding] = []
        for svc in GatewayPorts.gatewayServices(s) {
            guard let owner = installer(svc.object) else { continue }
            // managedFields say exactly which ports a hand edit wrote; without them, ports outside the installer's
            // defaults and its declared ports are taken for hand edits.
            let hand = handEditedPorts(svc.object)
            for sp in svc.ports where !declared.contains(sp.port) && (hand.map { $0.contains(sp.port) } ?? !GatewayPorts.installerDefaults.contains(sp.port)) {
                let field = "spec.ports[\(sp.index)]"
                let lasting = owner.hasPrefix("Helm")
                    ? "declare the port in the chart values (service.ports: [{name: \(sp.name ?? "port-\(sp.port)"), port: \(sp.port), targetPort: \(sp.targetNumber ?? sp.port)}]) and helm upgrade"
                    : "declare it in the IstioOperator: spec.components.ingressGateways[].k8s.service.ports: [{name: \(sp.name ?? "port-\(sp.port)"), port: \(sp.port), targetPort: \(sp.targetNumber ?? sp.port)}] and istioctl install -f"
                out.append(FindingDefinition.installerWillRevert.make(svc.reference, field: field, [
                    "service": .object(svc.reference), "installer": .value(owner), "port": .port(sp.port),
                    "field": .field(field), "lasting": .value(lasting),
                ]))
            }
        }
        return out
    }

    static func service(labels: String) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: istio-ingressgateway
          namespace: istio-system
          labels: \(labels)
        spec:
          type: LoadBalancer
          selector: {app: istio-ingressgateway, istio: ingressgateway}
          ports:
          - {name: http2, port: 80, targetPort: 8080, nodePort: 31380}
          - {name: prometheus, port: 9090, targetPort: 9090, nodePort: 31399}
        """
    }

    /// A Helm-owned Service whose port 9090 was written by `manager`.
    static func managed(manager: String) -> String {
        service(labels: "{app: istio-ingressgateway, istio: ingressgateway, app.kubernetes.io/managed-by: Helm}").replacingOccurrences(
            of: "  labels:", with: """
              managedFields:
              - manager: helm
                operation: Update
                fieldsV1: {"f:spec": {"f:ports": {"k:{\\"port\\":80,\\"protocol\\":\\"TCP\\"}": {}}}}
              - manager: \(manager)
                operation: Update
                fieldsV1: {"f:spec": {"f:ports": {"k:{\\"port\\":9090,\\"protocol\\":\\"TCP\\"}": {}}}}
              labels:
            """)
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("operator-owned Service with a hand-added port", raises: ["PH0801"],
                         yaml: service(labels: "{app: istio-ingressgateway, istio: ingressgateway, operator.istio.io/component: IngressGateways, install.operator.istio.io/owning-resource: installed-state}")),
            CheckExample("Helm-owned Service with a hand-added port", raises: ["PH0801"],
                         yaml: service(labels: "{app: istio-ingressgateway, istio: ingressgateway, app.kubernetes.io/managed-by: Helm}")),
            CheckExample("port declared in the IstioOperator", raises: [], yaml: service(labels: "{app: istio-ingressgateway, istio: ingressgateway, operator.istio.io/component: IngressGateways}") + """

                ---
                apiVersion: install.istio.io/v1alpha1
                kind: IstioOperator
                metadata: {name: installed-state, namespace: istio-system}
                spec:
                  components:
                    ingressGateways:
                    - name: istio-ingressgateway
                      enabled: true
                      k8s:
                        service:
                          ports:
                          - {name: http2, port: 80, targetPort: 8080}
                          - {name: prometheus, port: 9090, targetPort: 9090}
                """),
            CheckExample("managedFields: port added by kubectl patch", raises: ["PH0801"], yaml: managed(manager: "kubectl-patch")),
            CheckExample("managedFields: port written by helm", raises: [], yaml: managed(manager: "helm")),
            CheckExample("unmanaged Service", raises: [], yaml: service(labels: "{app: istio-ingressgateway, istio: ingressgateway}")),
        ]
    }
}
