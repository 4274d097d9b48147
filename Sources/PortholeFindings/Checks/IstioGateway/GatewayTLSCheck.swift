import Foundation
import PortholeKube

extension FindingDefinition {
    static let httpsServerWithoutCertificate = FindingDefinition(
        code: "PH0205", level: .error, title: "HTTPSServerWithoutCertificate",
        template: "{gateway} field spec.servers[{index}] is protocol {protocol} on port {port} but {problem}: the gateway cannot terminate TLS there",
        cause: "An HTTPS server terminates TLS at the gateway and needs tls.mode SIMPLE or MUTUAL with a certificate (tls.credentialName naming a Secret in the gateway's namespace, or file paths); PASSTHROUGH belongs to protocol TLS.",
        fix: "set spec.servers[{index}].tls: {mode: SIMPLE, credentialName: <secret in the gateway pod's namespace>} (kubectl -n istio-system create secret tls prometheus-cert --cert=cert.pem --key=key.pem), or serve plain HTTP on that port")
}

/// HTTPS Gateway servers that cannot terminate TLS.
public enum GatewayTLSCheck: FindingCheck {
    public static let id = "https-server-without-certificate"
    public static var definitions: [FindingDefinition] { [.httpsServerWithoutCertificate] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        var out: [Finding] = []
        for gw in s.istioGateways {
            let raw = gw.object.spec["servers"]?.arrayValue ?? []
            for server in gw.servers where server.protocolName.uppercased() == "HTTPS" {
                let tls = raw.indices.contains(server.index) ? raw[server.index]["tls"] : nil
                let mode = tls?["mode"]?.stringValue ?? "SIMPLE"
                let hasCert = tls?["credentialName"] != nil || tls?["serverCertificate"] != nil || tls?["credentialNames"] != nil
                let problem: String?
                if tls == nil { problem = "has no tls settings" }
                else if mode == "PASSTHROUGH" || mode == "AUTO_PASSTHROUGH" { problem = "tls.mode is \(mode), which needs protocol TLS" }
                else if !hasCert && mode != "ISTIO_MUTUAL" { problem = "tls names no certificate (credentialName or serverCertificate)" }
                else { problem = nil }
                guard let problem else { continue }
                out.append(FindingDefinition.httpsServerWithoutCertificate.make(gw.reference, field: "spec.servers[\(server.index)].tls", [
                    "gateway": .object(gw.reference), "index": .count(server.index), "protocol": .value(server.protocolName),
                    "port": .port(server.port), "problem": .value(problem),
                ]))
            }
        }
        return out
    }

    static func gateway(_ tls: String) -> String {
        """
        apiVersion: networking.istio.io/v1beta1
        kind: Gateway
        metadata: {name: prometheus-gateway, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: https-prom, protocol: HTTPS}
            hosts: [prometheus.example.com]
            \(tls)
        """
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("HTTPS without tls", raises: ["PH0205"], yaml: gateway("")),
            CheckExample("HTTPS with SIMPLE but no certificate", raises: ["PH0205"], yaml: gateway("tls: {mode: SIMPLE}")),
            CheckExample("HTTPS with credentialName", raises: [], yaml: gateway("tls: {mode: SIMPLE, credentialName: prometheus-cert}")),
        ]
    }
}
