import Foundation
import PortholeKube

extension FindingDefinition {
    static let privilegedGatewayPort = FindingDefinition(
        code: "PH0203", level: .error, title: "PrivilegedPortOnUnprivilegedGateway",
        template: "{gateway} field {field} = {port} makes Envoy bind port {listenerPort}, below 1024, but gateway pod {pod} runs unprivileged: the listener is skipped",
        cause: "An unprivileged gateway (non-root, no NET_BIND_SERVICE, no net.ipv4.ip_unprivileged_port_start=0 sysctl) cannot bind ports below 1024.",
        fix: "map the Service port to a targetPort of 1024 or more (e.g. port {port} -> targetPort 8080) and keep the server on {port}")
}

/// A Gateway server whose listener port is privileged while the gateway pod cannot bind it.
public enum PrivilegedGatewayPortCheck: FindingCheck {
    public static let id = "privileged-gateway-port"
    public static var definitions: [FindingDefinition] { [.privilegedGatewayPort] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        var out: [Finding] = []
        for gw in s.istioGateways {
            guard let pod = s.gatewayPods(gw).first(where: isUnprivileged) else { continue }
            let services = s.gatewayServices(gw)
            for server in gw.servers {
                let listener = GatewayPorts.listenerPort(server.port, services: services)
                guard listener < 1024 else { continue }
                let field = "spec.servers[\(server.index)].port.number"
                out.append(FindingDefinition.privilegedGatewayPort.make(gw.reference, field: field, [
                    "gateway": .object(gw.reference), "field": .field(field), "port": .port(server.port),
                    "listenerPort": .port(listener), "pod": .value("\(pod.namespace)/\(pod.name)"),
                ]))
            }
        }
        return out
    }

    /// Non-root proxy without the capability or sysctl that allows low ports.
    static func isUnprivileged(_ pod: Pod) -> Bool {
        let podSC = pod.object.spec["securityContext"]
        let sysctls = podSC?["sysctls"]?.arrayValue ?? []
        if sysctls.contains(where: { $0["name"]?.stringValue == "net.ipv4.ip_unprivileged_port_start" && $0["value"]?.plainText == "0" }) { return false }
        guard let proxy = pod.containers.first(where: { $0["name"]?.stringValue == "istio-proxy" }) else { return false }
        let sc = proxy["securityContext"]
        let caps = (sc?["capabilities"]?["add"]?.arrayValue ?? []).compactMap { $0.stringValue }
        if caps.contains("NET_BIND_SERVICE") || caps.contains("ALL") { return false }
        let user = sc?["runAsUser"]?.intValue ?? podSC?["runAsUser"]?.intValue
        let nonRoot = sc?["runAsNonRoot"]?.boolValue ?? podSC?["runAsNonRoot"]?.boolValue ?? false
        if let user { return user != 0 }
        return nonRoot
    }

    static func objects(sysctl: Bool, targetPort: Int) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata: {name: istio-ingressgateway, namespace: istio-system, labels: {istio: ingressgateway}}
        spec:
          type: NodePort
          selector: {istio: ingressgateway}
          ports: [{name: http2, port: 80, targetPort: \(targetPort), nodePort: 31380}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: istio-ingressgateway-1, namespace: istio-system, labels: {istio: ingressgateway}}
        spec:
          securityContext:
            runAsUser: 1337
            sysctls: \(sysctl ? "[{name: net.ipv4.ip_unprivileged_port_start, value: \"0\"}]" : "[]")
          containers:
          - name: istio-proxy
            image: docker.io/istio/proxyv2:1.22.0
            args: [proxy, router]
            securityContext: {runAsNonRoot: true, runAsUser: 1337}
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: Gateway
        metadata: {name: web, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*"]
        """
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("port 80 -> targetPort 80 on a non-root gateway", raises: ["PH0203"], yaml: objects(sysctl: false, targetPort: 80)),
            CheckExample("port 80 -> targetPort 8080", raises: [], yaml: objects(sysctl: false, targetPort: 8080)),
            CheckExample("unprivileged port start lowered by sysctl", raises: [], yaml: objects(sysctl: true, targetPort: 80)),
        ]
    }
}
