import Foundation
import PortholeKube

extension FindingDefinition {
    static let envoyNoRoute = FindingDefinition(
        code: "PH0105", level: .error, title: "EnvoyNoRoute",
        template: "{target} answered 404 from the gateway's Envoy itself (server: istio-envoy, no x-envoy-upstream-service-time): no route matches this host and path",
        cause: "Envoy answers 404 NR when no VirtualService bound to the Gateway matches the request's Host header and path; a 404 that reached the backend carries x-envoy-upstream-service-time.",
        fix: "bind a VirtualService to the Gateway (spec.gateways) whose hosts match the Host header you send and whose match covers {path}")
}

/// An outside probe answered by Envoy's own "no route" 404.
public enum EnvoyNoRouteCheck: FindingCheck {
    public static let id = "envoy-no-route"
    public static var definitions: [FindingDefinition] { [.envoyNoRoute] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        s.observations.compactMap { obs in
            guard case .http(404, let headers) = obs.result, headers["server"] == "istio-envoy",
                  headers["x-envoy-upstream-service-time"] == nil else { return nil }
            let svc = s.services.first { svc in
                (svc.loadBalancerIngress.contains(obs.address) && svc.ports.contains { $0.port == obs.port })
                    || (s.nodeAddresses.contains(obs.address) && svc.ports.contains { $0.nodePort == obs.port })
            }
            return FindingDefinition.envoyNoRoute.make(svc?.reference, [
                "target": .value(obs.target), "path": .value(obs.path ?? "/"),
            ])
        }
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("Envoy's own 404", raises: ["PH0105"],
                         observations: [OutsideObservation(address: "192.168.1.240", port: 80, path: "/graph",
                                                           result: .http(status: 404, headers: ["server": "istio-envoy"]))], yaml: ""),
            CheckExample("404 from the backend through Envoy", raises: [],
                         observations: [OutsideObservation(address: "192.168.1.240", port: 80, path: "/nothing",
                                                           result: .http(status: 404, headers: ["server": "istio-envoy", "x-envoy-upstream-service-time": "3"]))], yaml: ""),
        ]
    }
}
