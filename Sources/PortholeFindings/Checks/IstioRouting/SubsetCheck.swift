import Foundation
import PortholeKube

extension FindingDefinition {
    static let subsetNotDefined = FindingDefinition(
        code: "PH0312", level: .error, title: "DestinationSubsetNotDefined",
        template: "{virtualService} field {field} = {subset} names a subset no DestinationRule for {host} defines (defined: {subsets})",
        cause: "A route to a subset needs a DestinationRule for the host that defines it; without it Envoy has no cluster for the subset (503 NC).",
        fix: "define the subset in a DestinationRule for {host} (spec.subsets: [{name: {subset}, labels: {version: ...}}]) or drop subset from the route")
}

/// Route destinations naming subsets no DestinationRule defines.
public enum SubsetCheck: FindingCheck {
    public static let id = "destination-subset-not-defined"
    public static var definitions: [FindingDefinition] { [.subsetNotDefined] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        guard s.knows(.destinationRule) || s.isLive else { return [] }
        var out: [Finding] = []
        for vs in s.virtualServices {
            for d in vs.destinations {
                guard let subset = d.subset else { continue }
                let target = s.serviceName(d.host, from: vs.namespace)
                let rules = s.destinationRules.filter { dr in
                    if let t = target, let r = s.serviceName(dr.host, from: dr.namespace) { return r == t }
                    return dr.host == d.host
                }
                let defined = rules.flatMap { ($0.object.spec["subsets"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue } }
                if defined.contains(subset) { continue }
                let host = target.map { "\($0.name).\($0.namespace).svc.cluster.local" } ?? d.host
                let field = d.field + ".subset"
                out.append(FindingDefinition.subsetNotDefined.make(vs.reference, field: field, [
                    "virtualService": .object(vs.reference), "field": .field(field), "subset": .value(subset),
                    "host": .host(host), "subsets": .list(defined.sorted()),
                ]))
            }
        }
        return out
    }

    static func objects(subset: String) -> String {
        RoutingExamples.join(RoutingExamples.virtualService(namespace: "istio-system", """
              hosts: ["*"]
              gateways: [prometheus-gateway]
              http:
              - route: [{destination: {host: prometheus, subset: \(subset), port: {number: 9090}}}]
            """), """
            apiVersion: networking.istio.io/v1alpha3
            kind: DestinationRule
            metadata: {name: prometheus, namespace: istio-system}
            spec:
              host: prometheus.istio-system.svc.cluster.local
              subsets: [{name: v2, labels: {version: v2}}]
            """)
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("subset v1 not defined", raises: ["PH0312"], yaml: objects(subset: "v1")),
            CheckExample("subset v2 defined", raises: [], yaml: objects(subset: "v2")),
        ]
    }
}
