import Foundation
import PortholeKube

/// How an Istio gateway turns Gateway server ports into Envoy listeners on the Service's targetPorts.
enum GatewayPorts {
    /// Ports Istio's installers put on the gateway Service whether or not a Gateway uses them
    /// (HTTP/HTTPS, status and health, multicluster SNI, TCP 31400, old telemetry addon ports).
    static let installerDefaults: Set<Int> = [80, 443, 853, 8060, 15000, 15011, 15012, 15017, 15020, 15021, 15029, 15030, 15031, 15032, 15090, 15443, 31400]

    /// The port Envoy binds for a server port: the targetPort of the Service port with that number, else the number itself.
    static func listenerPort(_ serverPort: Int, services: [Service]) -> Int {
        for svc in services { if let sp = svc.ports.first(where: { $0.port == serverPort }), let t = sp.targetNumber { return t } }
        return serverPort
    }

    /// The preferred gateway Service to name in messages: one reachable from outside first.
    static func primary(_ services: [Service]) -> Service? {
        services.first { $0.type == "LoadBalancer" } ?? services.first { $0.type == "NodePort" } ?? services.first
    }

    static func portList(_ svc: Service) -> [String] {
        svc.ports.map { p in
            let t = p.targetNumber.map(String.init) ?? p.targetPort?.plainText ?? "?"
            return t == String(p.port) ? String(p.port) : "\(p.port)->\(t)"
        }
    }

    /// Services in front of any Gateway plus the conventional ingress gateway Services.
    static func gatewayServices(_ s: ClusterSnapshot) -> [Service] {
        var out: [Service] = s.ingressGatewayServices
        for gw in s.istioGateways {
            for svc in s.gatewayServices(gw) where !out.contains(where: { $0.reference == svc.reference }) { out.append(svc) }
        }
        return out
    }
}

/// A gateway's Envoy ingress example shared by the gateway checks.
enum GatewayExamples {
    static let ingressService = """
        apiVersion: v1
        kind: Service
        metadata:
          name: istio-ingressgateway
          namespace: istio-system
          labels: {app: istio-ingressgateway, istio: ingressgateway}
        spec:
          type: LoadBalancer
          selector: {app: istio-ingressgateway, istio: ingressgateway}
          ports:
          - {name: status-port, port: 15020, targetPort: 15020, nodePort: 30937}
          - {name: http2, port: 80, targetPort: 80, nodePort: 31380}
          - {name: prometheus, port: 9090, targetPort: 9090, nodePort: 31399}
          - {name: https, port: 443, targetPort: 443, nodePort: 31390}
        status:
          loadBalancer:
            ingress: [{ip: 192.168.1.240}]
        """
    static let ingressPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: istio-ingressgateway-5d8f7c9b4-abcde
          namespace: istio-system
          labels: {app: istio-ingressgateway, istio: ingressgateway}
        spec:
          containers:
          - name: istio-proxy
            image: docker.io/istio/proxyv2:1.1.7
            args: [proxy, router]
        """
}
