import Foundation
import PortholeKube

extension FindingDefinition {
    static let hostResolvesToWrongNamespace = FindingDefinition(
        code: "PH0302", level: .error, title: "DestinationHostWrongNamespace",
        template: "{virtualService} field {field} = {host} resolves to {resolved}, which does not exist; a Service {name} exists in {namespaces}",
        cause: "A short destination host is resolved in the VirtualService's own namespace, so traffic goes to a Service that is not there (503 NC, no cluster).",
        fix: "write the fully qualified name: host: {fqdn}")
    static let destinationHostNotFound = FindingDefinition(
        code: "PH0310", level: .error, title: "DestinationHostNotFound",
        template: "{virtualService} field {field} = {host} names Service {resolved}, which exists in no namespace and matches no ServiceEntry",
        cause: "Envoy has no cluster for a destination that is neither a Service nor a ServiceEntry host: requests fail with 503 NC.",
        fix: "point the destination at an existing Service as <name>.<namespace>.svc.cluster.local (kubectl get svc -A | grep {name})")
}

/// Destination hosts that resolve to no Service: the short-name namespace trap, and names nothing knows.
public enum DestinationHostCheck: FindingCheck {
    public static let id = "destination-host"
    public static var definitions: [FindingDefinition] { [.hostResolvesToWrongNamespace, .destinationHostNotFound] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        guard s.knows(.service) else { return [] }
        let entryHosts = Set(s.items(.serviceEntry).flatMap { ($0["spec"]?["hosts"]?.arrayValue ?? []).compactMap { $0.stringValue } })
        var out: [Finding] = []
        for vs in s.virtualServices {
            for d in vs.destinations {
                guard let (name, ns) = s.serviceName(d.host, from: vs.namespace), s.service(name, in: ns) == nil,
                      !entryHosts.contains(d.host) else { continue }
                let field = d.field + ".host"
                let elsewhere = s.services.filter { $0.name == name }.map(\.namespace).sorted()
                if let other = elsewhere.first {
                    out.append(FindingDefinition.hostResolvesToWrongNamespace.make(vs.reference, field: field, [
                        "virtualService": .object(vs.reference), "field": .field(field), "host": .host(d.host),
                        "resolved": .host("\(name).\(ns).svc.cluster.local"), "name": .value(name),
                        "namespaces": .list(elsewhere), "fqdn": .host("\(name).\(other).svc.cluster.local"),
                    ]))
                } else if s.isLive {
                    out.append(FindingDefinition.destinationHostNotFound.make(vs.reference, field: field, [
                        "virtualService": .object(vs.reference), "field": .field(field), "host": .host(d.host),
                        "resolved": .host("\(name).\(ns).svc.cluster.local"), "name": .value(name),
                    ]))
                }
            }
        }
        return out
    }

    static func vs(namespace: String, host: String) -> String {
        RoutingExamples.virtualService(namespace: namespace, """
              hosts: ["*"]
              gateways: [istio-system/prometheus-gateway]
              http:
              - route: [{destination: {host: \(host), port: {number: 9090}}}]
            """)
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("short host from default, Service in istio-system", raises: ["PH0302"],
                         yaml: RoutingExamples.join(RoutingExamples.prometheus, vs(namespace: "default", host: "prometheus"))),
            CheckExample("host naming nothing in a live cluster", raises: ["PH0310"], live: true,
                         yaml: RoutingExamples.join(RoutingExamples.prometheus, vs(namespace: "istio-system", host: "prometheus-server"))),
            CheckExample("FQDN host", raises: [],
                         yaml: RoutingExamples.join(RoutingExamples.prometheus, vs(namespace: "default", host: "prometheus.istio-system.svc.cluster.local"))),
            CheckExample("short host in the Service's own namespace", raises: [],
                         yaml: RoutingExamples.join(RoutingExamples.prometheus, vs(namespace: "istio-system", host: "prometheus"))),
        ]
    }
}
