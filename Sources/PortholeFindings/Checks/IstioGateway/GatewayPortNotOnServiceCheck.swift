import Foundation
import PortholeKube

extension FindingDefinition {
    static let gatewayPortNotOnService = FindingDefinition(
        code: "PH0201", level: .error, title: "GatewayPortNotOnService",
        template: "{gateway} field {field} = {port} is not a port of the gateway {service} (ports: {ports}): nothing outside reaches this listener",
        cause: "The gateway's Envoy listens for a Gateway server port, but outside traffic arrives only on the ports the gateway Service exposes (istioctl analyze IST0162).",
        fix: "set {field} to a port the Service exposes ({ports}), or add port {port} to {service} through its installer")
}

/// A Gateway server on a port the gateway Service does not expose (IST0162-like).
public enum GatewayPortNotOnServiceCheck: FindingCheck {
    public static let id = "gateway-port-not-on-service"
    public static var definitions: [FindingDefinition] { [.gatewayPortNotOnService] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        var out: [Finding] = []
        for gw in s.istioGateways {
            let services = s.gatewayServices(gw)
            guard let primary = GatewayPorts.primary(services) else {
                out += againstDefaultInstall(gw, s)
                continue
            }
            for server in gw.servers {
                // Istio matches the server port against the Service port; a targetPort match is accepted too
                // so that a Service mapping port X to the same targetPort is never reported falsely.
                let exposed = services.contains { $0.ports.contains { $0.port == server.port || $0.targetNumber == server.port } }
                if exposed { continue }
                let field = "spec.servers[\(server.index)].port.number"
                out.append(FindingDefinition.gatewayPortNotOnService.make(gw.reference, field: field, [
                    "gateway": .object(gw.reference), "field": .field(field), "port": .port(server.port),
                    "service": .object(primary.reference), "ports": .list(GatewayPorts.portList(primary)),
                ]))
            }
        }
        return out
    }

    /// Offline, with no Service in the files: judge the standard ingress gateway against the ports a default
    /// install gives its Service (and their targetPorts), and say that this is what was assumed.
    static func againstDefaultInstall(_ gw: IstioGateway, _ s: ClusterSnapshot) -> [Finding] {
        guard !s.isLive, s.services.isEmpty, ["ingressgateway", "ingress"].contains(gw.selector["istio"] ?? "") else { return [] }
        let defaults = [80, 443, 15021, 15443, 31400], targets = [8080, 8443]
        return gw.servers.filter { !defaults.contains($0.port) && !targets.contains($0.port) }.map { server in
            let field = "spec.servers[\(server.index)].port.number"
            return FindingDefinition.gatewayPortNotOnService.make(gw.reference, field: field, [
                "gateway": .object(gw.reference), "field": .field(field), "port": .port(server.port),
                "service": .value("istio-ingressgateway Service of a default install (none was in the files read)"),
                "ports": .list(defaults.map(String.init)),
            ])
        }
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("server on port 90, Service exposes 9090", raises: ["PH0201"], yaml: GatewayExamples.ingressService + "\n---\n" + """
                apiVersion: networking.istio.io/v1alpha3
                kind: Gateway
                metadata: {name: prometheus-gateway, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 90, name: http, protocol: HTTP}
                    hosts: ["*"]
                """),
            CheckExample("offline: port 90 against a default install", raises: ["PH0201"], yaml: """
                apiVersion: networking.istio.io/v1alpha3
                kind: Gateway
                metadata: {name: prometheus-gateway}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 90, name: http, protocol: HTTP}
                    hosts: ["*"]
                """),
            CheckExample("offline: port 80 against a default install", raises: [], yaml: """
                apiVersion: networking.istio.io/v1alpha3
                kind: Gateway
                metadata: {name: web}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*"]
                """),
            CheckExample("server on the exposed port 9090", raises: [], yaml: GatewayExamples.ingressService + "\n---\n" + """
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
