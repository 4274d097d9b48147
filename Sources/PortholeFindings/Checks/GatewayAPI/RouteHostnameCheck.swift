import Foundation
import PortholeKube

extension FindingDefinition {
    static let routeHostnameMatchesNoListener = FindingDefinition(
        code: "PH0608", level: .error, title: "RouteHostnameMatchesNoListener",
        template: "{route} hostnames {hostnames} match no hostname of the listeners it attaches to on {gateway} ({listeners}): the route is not accepted and requests get 404",
        cause: "A route attaches to a listener only when one of its spec.hostnames intersects the listener's hostname (a listener without hostname accepts any); otherwise the controller reports Accepted False, reason NoMatchingListenerHostname, and serves none of its rules.",
        fix: "make {route}'s spec.hostnames include a name the listener accepts ({listeners}), or set the listener's hostname to the name you browse to (or remove it to accept any host)")
}

/// HTTPRoutes whose hostnames intersect none of the hostnames of the listeners they name.
public enum RouteHostnameCheck: FindingCheck {
    public static let id = "route-hostname-matches-no-listener"
    public static var definitions: [FindingDefinition] { [.routeHostnameMatchesNoListener] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        var out: [Finding] = []
        for route in s.httpRoutes where !route.hostnames.isEmpty {
            for ref in route.parentRefs {
                guard let gw = s.apiGateways.first(where: { $0.name == ref.name && $0.namespace == ref.namespace }) else { continue }
                // A missing listener is PH0606's; a listener without hostname accepts every host.
                let listeners = gw.listeners.filter { ref.sectionName == nil || $0.name == ref.sectionName }
                guard !listeners.isEmpty, listeners.allSatisfy({ $0.hostname != nil }) else { continue }
                let matched = listeners.contains { l in route.hostnames.contains { HostNames.intersect($0, l.hostname ?? "*") } }
                if matched { continue }
                out.append(FindingDefinition.routeHostnameMatchesNoListener.make(route.reference, field: "spec.hostnames", [
                    "route": .object(route.reference), "hostnames": .list(route.hostnames), "gateway": .object(gw.reference),
                    "listeners": .list(listeners.map { "\($0.name): \($0.hostname ?? "*")" }),
                ]))
            }
        }
        return out
    }

    public static var examples: [CheckExample] {
        let gateway = GatewayAPIExamples.gateway(from: "All").replacingOccurrences(of: "    port: 80\n", with: "    port: 80\n    hostname: \"*.example.com\"\n")
        func route(_ hosts: String) -> String {
            GatewayAPIExamples.route(namespace: "istio-system").replacingOccurrences(of: "spec:\n", with: "spec:\n  hostnames: [\(hosts)]\n")
        }
        return [
            CheckExample("route for prometheus.internal on a *.example.com listener", raises: ["PH0608"],
                         yaml: GatewayAPIExamples.join(gateway, route("prometheus.internal"))),
            CheckExample("the apex name is not covered by *.example.com", raises: ["PH0608"],
                         yaml: GatewayAPIExamples.join(gateway, route("example.com"))),
            CheckExample("route for prometheus.example.com", raises: [],
                         yaml: GatewayAPIExamples.join(gateway, route("prometheus.example.com"))),
            CheckExample("a listener without hostname accepts any", raises: [],
                         yaml: GatewayAPIExamples.join(GatewayAPIExamples.gateway(from: "All"), route("prometheus.internal"))),
        ]
    }
}
