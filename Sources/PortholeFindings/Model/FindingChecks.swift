import Foundation

/// The registry of checks and the one way to run them: judge, filter by scope, mark suppressions, sort.
public enum FindingChecks {
    /// Every check, grouped by area in code order.
    public static let all: [any FindingCheck.Type] = [
        LoadBalancerStatusCheck.self, NodePortOnLoadBalancerAddressCheck.self, ServiceEndpointsCheck.self, ServiceReadinessCheck.self, HeadlessServiceCheck.self, PrometheusRoutePrefixCheck.self, EnvoyNoRouteCheck.self,
        NodeAddressProbeCheck.self, LoadBalancerSourceRangesCheck.self,
        GatewayPortNotOnServiceCheck.self, ServicePortWithoutServerCheck.self, PrivilegedGatewayPortCheck.self, GatewaySelectorCheck.self, GatewayTLSCheck.self, HTTPSRedirectCheck.self,
        VirtualServiceRegexCheck.self, DestinationHostCheck.self, GatewayReferenceCheck.self, MeshOnlyVirtualServiceCheck.self,
        HostIntersectionCheck.self, DestinationPortCheck.self, DestinationRuleTLSCheck.self, PrometheusSubPathCheck.self, SubsetCheck.self, InternalHostOnGatewayCheck.self,
        ExportVisibilityCheck.self,
        MetalLBConfigEraCheck.self, PendingAddressCheck.self, AdvertisementCheck.self, PoolSegmentCheck.self,
        AnnouncingNodesCheck.self, StrictARPCheck.self,
        IngressClassCheck.self, IngressBackendNamespaceCheck.self, IngressControllerReachabilityCheck.self, IngressBackendPortCheck.self, IngressHTTPSRedirectCheck.self,
        StrictMTLSFromIngressCheck.self, InjectionLabelDriftCheck.self, MeshedControllerUpstreamCheck.self, AllowListMasqueradeCheck.self,
        GatewayAPICRDCheck.self, AllowedRoutesCheck.self, ReferenceGrantCheck.self, GatewayAPIStatusCheck.self, GatewayServiceTypeCheck.self, ParentRefCheck.self,
        GatewayClassCheck.self, RouteHostnameCheck.self, BackendRefPortCheck.self,
        PrometheusExposureCheck.self, AllowNothingPolicyCheck.self, MasqueradedClientCheck.self, TargetPortCheck.self, NetworkPolicyCheck.self, InternalLoadBalancerCheck.self,
        InstallerOwnedServiceCheck.self, InjectionDisabledCheck.self, SuppressionAnnotationCheck.self,
    ]

    /// Runs every check (or only those raising `codes`), keeps findings in scope, marks suppressed ones.
    /// Sorted: errors first, then by code, object and field.
    public static func run(_ snapshot: ClusterSnapshot, scope: CheckScope = CheckScope(), codes: Set<String>? = nil) -> [Finding] {
        var out: [Finding] = []
        for check in all {
            if let codes, !check.definitions.contains(where: { codes.contains($0.code) }) { continue }
            out += check.run(snapshot, scope)
        }
        if let codes { out = out.filter { codes.contains($0.code) } }
        if let ns = scope.namespace { out = out.filter { $0.object?.namespace == nil || $0.object?.namespace == ns } }
        out = Array(Set(out))
        let annotated = annotatedSuppressions(snapshot)
        out = out.map { applySuppressions($0, annotated: annotated, scope: scope) }
        return out.sorted(by: order)
    }

    /// Readable suppressions by the object carrying them (unreadable ones are PH0803's business).
    static func annotatedSuppressions(_ snapshot: ClusterSnapshot) -> [ObjectReference: [Suppression]] {
        var out: [ObjectReference: [Suppression]] = [:]
        for raw in snapshot.objects.values.joined() {
            let obj = KubeObject(raw)
            guard let text = obj.annotations[Suppression.annotation], let parsed = try? Suppression.parseAll(text) else { continue }
            out[obj.reference, default: []] += parsed
        }
        return out
    }

    /// Marks `finding` with the first active suppression that covers it: object annotation, namespace annotation, scope.
    static func applySuppressions(_ finding: Finding, annotated: [ObjectReference: [Suppression]], scope: CheckScope) -> Finding {
        var candidates: [(Suppression, String)] = []
        if let ref = finding.object {
            candidates += (annotated[ref] ?? []).map { ($0, "annotation on \(ref)") }
            if let ns = ref.namespace {
                let nsRef = ObjectReference(kind: "Namespace", namespace: nil, name: ns)
                candidates += (annotated[nsRef] ?? []).map { ($0, "annotation on namespace \(ns)") }
            }
        }
        candidates += scope.suppressions.map { ($0, "scope") }
        var f = finding
        for (suppression, source) in candidates where suppression.covers(finding) && suppression.isActive(at: scope.now) {
            f.suppression = AppliedSuppression(reason: suppression.reason, until: suppression.until, source: source)
            break
        }
        return f
    }

    static func order(_ a: Finding, _ b: Finding) -> Bool {
        if a.level != b.level { return a.level > b.level }
        if a.code != b.code { return a.code < b.code }
        let ao = a.object?.description ?? "", bo = b.object?.description ?? ""
        if ao != bo { return ao < bo }
        if (a.field ?? "") != (b.field ?? "") { return (a.field ?? "") < (b.field ?? "") }
        return a.message < b.message
    }
}
