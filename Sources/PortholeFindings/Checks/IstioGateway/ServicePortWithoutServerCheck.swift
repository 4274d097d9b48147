import Foundation
import PortholeKube

extension FindingDefinition {
    static let servicePortWithoutServer = FindingDefinition(
        code: "PH0202", level: .error, title: "ServicePortWithoutGatewayServer",
        template: "{service} field {field} exposes port {port} (targetPort {targetPort}) but no Gateway declares a server on {port}: Envoy has no listener there, connections are refused",
        cause: "A Service port alone opens nothing: the gateway's Envoy creates a listener on the targetPort only for a Gateway server on that port.",
        fix: "create a Gateway with selector {selector} and a server on port {port} (protocol HTTP, hosts [\"*\"] or your host), plus a VirtualService bound to it")
}

/// A port added to a gateway Service with no Gateway server behind it (no listener: refused).
public enum ServicePortWithoutServerCheck: FindingCheck {
    public static let id = "service-port-without-gateway-server"
    public static var definitions: [FindingDefinition] { [.servicePortWithoutServer] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        guard s.knows(.istioGateway) else { return [] }
        var out: [Finding] = []
        for svc in GatewayPorts.gatewayServices(s) {
            let gateways = s.istioGateways.filter { gw in s.gatewayServices(gw).contains { $0.reference == svc.reference } }
            let serverPorts = Set(gateways.flatMap { $0.servers.map(\.port) })
            for sp in svc.ports where !GatewayPorts.installerDefaults.contains(sp.port) && sp.protocolName == "TCP" {
                if serverPorts.contains(sp.port) || sp.targetNumber.map(serverPorts.contains) == true { continue }
                let field = "spec.ports[\(sp.index)]"
                let sel = svc.selector["istio"].map { "istio: \($0)" } ?? svc.selector.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
                out.append(FindingDefinition.servicePortWithoutServer.make(svc.reference, field: field, [
                    "service": .object(svc.reference), "field": .field(field), "port": .port(sp.port),
                    "targetPort": .value(sp.targetPort?.plainText ?? String(sp.port)), "selector": .value(sel),
                ]))
            }
        }
        return out
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("port 9090 added to the Service, Gateway only on 80", raises: ["PH0202"], yaml: GatewayExamples.ingressService + "\n---\n" + """
                apiVersion: networking.istio.io/v1alpha3
                kind: Gateway
                metadata: {name: bookinfo-gateway, namespace: default}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*"]
                """),
            CheckExample("Gateway server on 9090", raises: [], yaml: GatewayExamples.ingressService + "\n---\n" + """
                apiVersion: networking.istio.io/v1alpha3
                kind: Gateway
                metadata: {name: prometheus-gateway, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 9090, name: http-prom, protocol: HTTP}
                    hosts: ["*"]
                """),
        ]
    }
}
