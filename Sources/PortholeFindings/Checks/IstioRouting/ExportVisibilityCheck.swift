import Foundation
import PortholeKube

extension FindingDefinition {
    static let virtualServiceNotExportedToGateway = FindingDefinition(
        code: "PH0314", level: .error, title: "VirtualServiceNotExportedToGateway",
        template: "{virtualService} is bound to {gateway}, but its exportTo {exportTo} hides it from the gateway's pods in namespace {proxyNamespace}: the gateway never applies it (404 NR)",
        cause: "exportTo limits which proxies see a VirtualService, gateways included: a gateway applies only VirtualServices exported to the namespace its own pods run in (`.` means the VirtualService's namespace only).",
        fix: "add {proxyNamespace} to spec.exportTo of {virtualService} (or remove exportTo), or create the VirtualService in {proxyNamespace}")
    static let serviceNotExportedToGateway = FindingDefinition(
        code: "PH0315", level: .error, title: "ServiceNotExportedToGateway",
        template: "{service} is routed to by {virtualService} through {gateway}, but its annotation networking.istio.io/exportTo={exportTo} hides it from the gateway's pods in namespace {proxyNamespace}: the gateway has no cluster for it (503 NC)",
        cause: "The networking.istio.io/exportTo annotation limits which proxies know a Service; a gateway whose pods run in another namespace has no upstream cluster for it, so the route's requests fail with 503 and response flag NC.",
        fix: "add {proxyNamespace} to the annotation networking.istio.io/exportTo on {service} (or remove it)")
}

/// VirtualServices and destination Services that `exportTo` hides from the gateway that should apply them.
public enum ExportVisibilityCheck: FindingCheck {
    public static let id = "export-visibility"
    public static var definitions: [FindingDefinition] { [.virtualServiceNotExportedToGateway, .serviceNotExportedToGateway] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        // The gateway's namespace is where its pods run; without pods it cannot be told.
        guard s.knows(.pod) else { return [] }
        var out: [Finding] = []
        var reportedServices = Set<ObjectReference>()
        for vs in s.virtualServices {
            let exportTo = (vs.object.spec["exportTo"]?.arrayValue ?? []).compactMap(\.stringValue)
            for ref in vs.gateways where ref != "mesh" {
                let (ns, name) = GatewayReferenceCheck.split(ref, default: vs.namespace)
                guard let gw = s.istioGateways.first(where: { $0.name == name && $0.namespace == ns }) else { continue }
                let proxyNamespaces = Array(Set(s.gatewayPods(gw).map(\.namespace))).sorted()
                guard let proxyNamespace = proxyNamespaces.first else { continue }
                if !proxyNamespaces.contains(where: { IstioExport.visible(exportTo, from: vs.namespace, to: $0) }) {
                    out.append(FindingDefinition.virtualServiceNotExportedToGateway.make(vs.reference, field: "spec.exportTo", [
                        "virtualService": .object(vs.reference), "gateway": .object(gw.reference), "exportTo": .list(exportTo),
                        "proxyNamespace": .value(proxyNamespace),
                    ]))
                    continue
                }
                for d in vs.destinations {
                    guard let (sname, sns) = s.serviceName(d.host, from: vs.namespace), let svc = s.service(sname, in: sns),
                          !reportedServices.contains(svc.reference) else { continue }
                    let list = IstioExport.serviceList(svc.object.annotations)
                    guard !proxyNamespaces.contains(where: { IstioExport.visible(list, from: svc.namespace, to: $0) }) else { continue }
                    reportedServices.insert(svc.reference)
                    out.append(FindingDefinition.serviceNotExportedToGateway.make(svc.reference, field: "metadata.annotations", [
                        "service": .object(svc.reference), "virtualService": .object(vs.reference), "gateway": .object(gw.reference),
                        "exportTo": .value(list.joined(separator: ",")), "proxyNamespace": .value(proxyNamespace),
                    ]))
                }
            }
        }
        return out
    }

    static let gatewayPod = """
        apiVersion: v1
        kind: Pod
        metadata: {name: istio-ingressgateway-7d4b9c8f6-abcde, namespace: istio-system, labels: {app: istio-ingressgateway, istio: ingressgateway}}
        spec: {containers: [{name: istio-proxy, image: docker.io/istio/proxyv2:1.24.2}]}
        """

    static func vs(exportTo: String) -> String {
        RoutingExamples.virtualService(namespace: "monitoring", """
              hosts: ["*"]
              gateways: [istio-system/prometheus-gateway]
            \(exportTo.isEmpty ? "" : "  exportTo: [\(exportTo)]")
              http:
              - route: [{destination: {host: prometheus, port: {number: 9090}}}]
            """)
    }

    public static var examples: [CheckExample] {
        let hiddenService = RoutingExamples.monitoringPrometheus.replacingOccurrences(of: "namespace: monitoring}", with: "namespace: monitoring, annotations: {networking.istio.io/exportTo: \".\"}}")
        return [
            CheckExample("a VirtualService in monitoring exported to its own namespace only", raises: ["PH0314"],
                         yaml: RoutingExamples.join(RoutingExamples.gateway, gatewayPod, RoutingExamples.monitoringPrometheus, vs(exportTo: "\".\""))),
            CheckExample("the same VirtualService exported to istio-system too", raises: [],
                         yaml: RoutingExamples.join(RoutingExamples.gateway, gatewayPod, RoutingExamples.monitoringPrometheus, vs(exportTo: "\".\", istio-system"))),
            CheckExample("a Service annotated exportTo '.'", raises: ["PH0315"],
                         yaml: RoutingExamples.join(RoutingExamples.gateway, gatewayPod, hiddenService, vs(exportTo: ""))),
            CheckExample("no exportTo anywhere", raises: [],
                         yaml: RoutingExamples.join(RoutingExamples.gateway, gatewayPod, RoutingExamples.monitoringPrometheus, vs(exportTo: ""))),
            CheckExample("gateway pods unknown (manifests without pods)", raises: [],
                         yaml: RoutingExamples.join(RoutingExamples.gateway, RoutingExamples.monitoringPrometheus, vs(exportTo: "\".\""))),
        ]
    }
}
