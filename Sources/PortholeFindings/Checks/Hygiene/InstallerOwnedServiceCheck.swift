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
            return "the Istio operator (IstioOperator \(l["install.operator.istio.io/owning-resource"] ?? "installed-state"))"
        }
        if l["app.kubernetes.io/managed-by"] == "Helm" || a["meta.helm.sh/release-name"] != nil || l["helm.sh/chart"] != nil {
            return "Helm release \(a["meta.helm.sh/release-name"] ?? l["release"] ?? "(unknown)")"
        }
        return nil
    }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        let declared = Set(s.istioOperators.flatMap(\.ingressGatewayPorts))
        var out: [Finding] = []
        for svc in GatewayPorts.gatewayServices(s) {
            guard let owner = installer(svc.object) else { continue }
            for sp in svc.ports where !GatewayPorts.installerDefaults.contains(sp.port) && !declared.contains(sp.port) {
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
            CheckExample("unmanaged Service", raises: [], yaml: service(labels: "{app: istio-ingressgateway, istio: ingressgateway}")),
        ]
    }
}
