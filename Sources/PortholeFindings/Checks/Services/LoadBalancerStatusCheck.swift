import Foundation
import PortholeKube

extension FindingDefinition {
    static let handWrittenLoadBalancerStatus = FindingDefinition(
        code: "PH0101", level: .error, title: "HandWrittenLoadBalancerStatus",
        template: "{service} sets {field} = {address} by hand; only the load-balancer controller writes it",
        cause: "status.loadBalancer is written by the load-balancer controller through the status subresource; edits through the object are dropped and nothing answers for an address nobody allocated.",
        fix: "remove the status from the manifest and request the address with spec.loadBalancerIP or the annotation metallb.io/loadBalancerIPs: {address} (it must be in an address pool)")
    static let noLoadBalancerController = FindingDefinition(
        code: "PH0102", level: .warning, title: "NoLoadBalancerController",
        template: "{service} is type LoadBalancer but no load-balancer controller is installed (no MetalLB, no cloud provider): EXTERNAL-IP stays <pending>",
        cause: "A LoadBalancer Service gets an address only from a controller (MetalLB, a cloud controller manager, kube-vip...).",
        fix: "use a node address with nodePort {nodePort}, or install MetalLB and give it an IPAddressPool on the nodes' segment")
}

/// Load-balancer status written by hand, and LoadBalancer Services nobody can serve.
public enum LoadBalancerStatusCheck: FindingCheck {
    public static let id = "loadbalancer-status"
    public static var definitions: [FindingDefinition] { [.handWrittenLoadBalancerStatus, .noLoadBalancerController] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        let metallb = MetalLBFacts(s)
        let anyController = metallb.installed || s.cloudProvider != nil || s.otherLoadBalancerController != nil
        var out: [Finding] = []
        for svc in s.services {
            let lastApplied = svc.object.annotations["kubectl.kubernetes.io/last-applied-configuration"] ?? ""
            // The notes' case on a live cluster: the status was applied by hand, the API server dropped it, and
            // EXTERNAL-IP stays <pending>. Only kubectl's record of what was applied still shows the attempt.
            if svc.loadBalancerIngress.isEmpty, let applied = try? JSONValue.parse(lastApplied),
               let ip = applied["status"]?["loadBalancer"]?["ingress"]?[0]?["ip"]?.stringValue {
                out.append(FindingDefinition.handWrittenLoadBalancerStatus.make(svc.reference, field: "status.loadBalancer.ingress[0].ip", [
                    "service": .object(svc.reference), "field": .field("status.loadBalancer.ingress[0].ip"), "address": .address(ip),
                ]))
                continue
            }
            guard let ip = svc.loadBalancerIngress.first else {
                if svc.isPending, s.knows(.pod), !anyController, svc.loadBalancerClass == nil {
                    out.append(FindingDefinition.noLoadBalancerController.make(svc.reference, field: "spec.type", [
                        "service": .object(svc.reference), "nodePort": .value(svc.ports.compactMap(\.nodePort).first.map(String.init) ?? "(none)"),
                    ]))
                }
                continue
            }
            // Evidence that no controller wrote it: the user's own files, a Service type that has no load balancer,
            // a live cluster with no controller at all, or an address outside the pools of MetalLB, the only controller.
            let onlyMetalLB = metallb.installed && s.cloudProvider == nil && s.otherLoadBalancerController == nil && !metallb.activePools.isEmpty
            let written = s.fromManifests.contains(svc.reference) || lastApplied.contains("\"loadBalancer\":{\"ingress\"")
                || svc.type != "LoadBalancer" || (s.knows(.pod) && !anyController)
                || (onlyMetalLB && svc.loadBalancerClass == nil && metallb.pool(containing: ip) == nil && IPv4.parse(ip) != nil)
            if written {
                out.append(FindingDefinition.handWrittenLoadBalancerStatus.make(svc.reference, field: "status.loadBalancer.ingress[0].ip", [
                    "service": .object(svc.reference), "field": .field("status.loadBalancer.ingress[0].ip"), "address": .address(ip),
                ]))
            }
        }
        return out
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("status written in a manifest", raises: ["PH0101"], yaml: """
                apiVersion: v1
                kind: Service
                metadata: {name: prometheus, namespace: istio-system}
                spec:
                  type: LoadBalancer
                  selector: {app: prometheus}
                  ports: [{name: http, port: 9090, targetPort: 9090}]
                status:
                  loadBalancer:
                    ingress: [{ip: 203.0.113.10}]
                """),
            CheckExample("status applied by hand and dropped by the API server (EXTERNAL-IP pending)", raises: ["PH0101"], live: true, yaml: """
                apiVersion: v1
                kind: Service
                metadata:
                  name: prometheus
                  namespace: istio-system
                  annotations:
                    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1","kind":"Service","metadata":{"name":"prometheus","namespace":"istio-system"},"spec":{"type":"LoadBalancer"},"status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.10"}]}}}'
                spec:
                  type: LoadBalancer
                  selector: {app: prometheus}
                  ports: [{name: http, port: 9090, targetPort: 9090, nodePort: 31588}]
                status:
                  loadBalancer: {}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: controller, namespace: metallb-system}
                spec:
                  template:
                    spec:
                      containers: [{name: controller, image: "quay.io/metallb/controller:v0.12.1"}]
                """),
            CheckExample("pending LoadBalancer with no controller in a live cluster", raises: ["PH0102"], live: true, yaml: """
                apiVersion: v1
                kind: Service
                metadata: {name: prometheus, namespace: istio-system}
                spec:
                  type: LoadBalancer
                  selector: {app: prometheus}
                  ports: [{name: http, port: 9090, targetPort: 9090, nodePort: 31588}]
                """),
            CheckExample("address assigned by MetalLB in a live cluster", raises: [], live: true, yaml: """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: default}
                spec:
                  type: LoadBalancer
                  selector: {app: web}
                  ports: [{port: 80, targetPort: 8080, nodePort: 30080}]
                status:
                  loadBalancer:
                    ingress: [{ip: 192.168.1.240}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: controller-1, namespace: metallb-system, labels: {app: metallb, component: controller}}
                spec:
                  containers: [{name: controller, image: quay.io/metallb/controller:v0.14.5}]
                """),
            CheckExample("address outside MetalLB's only pool in a live cluster", raises: ["PH0101"], live: true, yaml: """
                apiVersion: v1
                kind: Service
                metadata: {name: prometheus, namespace: istio-system}
                spec:
                  type: LoadBalancer
                  selector: {app: prometheus}
                  ports: [{port: 9090, targetPort: 9090, nodePort: 31588}]
                status:
                  loadBalancer:
                    ingress: [{ip: 203.0.113.10}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: controller-1, namespace: metallb-system, labels: {app: metallb, component: controller}}
                spec:
                  containers: [{name: controller, image: metallb/controller:v0.9.3}]
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: config, namespace: metallb-system}
                data:
                  config: |
                    address-pools:
                    - {name: default, protocol: layer2, addresses: [192.168.1.240-192.168.1.250]}
                """),
            CheckExample("ClusterIP service without status", raises: [], yaml: """
                apiVersion: v1
                kind: Service
                metadata: {name: prometheus, namespace: istio-system}
                spec:
                  selector: {app: prometheus}
                  ports: [{port: 9090}]
                """),
        ]
    }
}
