import Foundation
import PortholeKube
@testable import PortholeFindings

/// A cluster like the notes' (Istio 1.1, bookinfo, MetalLB layer2 with the legacy ConfigMap) as kubectl would list it.
enum Fixtures {
    static let notesCluster = """
        apiVersion: v1
        kind: Node
        metadata: {name: vm-0-5-ubuntu, labels: {kubernetes.io/hostname: vm-0-5-ubuntu}}
        status:
          addresses: [{type: InternalIP, address: 10.0.0.5}, {type: ExternalIP, address: 129.204.7.185}, {type: Hostname, address: vm-0-5-ubuntu}]
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: default, labels: {istio-injection: enabled}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: istio-system}
        ---
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
          - {name: tcp, port: 31400, targetPort: 31400, nodePort: 31400}
        status:
          loadBalancer: {ingress: [{ip: 129.204.7.185}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: istio-ingressgateway-5d8f7c9b4-abcde
          namespace: istio-system
          labels: {app: istio-ingressgateway, istio: ingressgateway}
        spec:
          nodeName: vm-0-5-ubuntu
          containers: [{name: istio-proxy, image: docker.io/istio/proxyv2:1.1.7, args: [proxy, router]}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: istio-pilot-6b8c5d7f9-zzzzz, namespace: istio-system, labels: {app: pilot, istio: pilot}}
        spec:
          containers: [{name: discovery, image: docker.io/istio/pilot:1.1.7}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus, namespace: istio-system, labels: {app: prometheus}}
        spec:
          selector: {app: prometheus}
          ports: [{name: http-prometheus, port: 9090, targetPort: 9090}]
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: prometheus-7d9c8b5f6-xyz12
          namespace: istio-system
          labels: {app: prometheus}
          annotations: {sidecar.istio.io/inject: "false"}
        spec:
          nodeName: vm-0-5-ubuntu
          containers: [{name: prometheus, image: docker.io/prom/prometheus:v2.3.1}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: productpage, namespace: default, labels: {app: productpage}}
        spec:
          selector: {app: productpage}
          ports: [{name: http, port: 9080}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: productpage-v1-7f9c6d7b8-abcde, namespace: default, labels: {app: productpage}}
        spec:
          nodeName: vm-0-5-ubuntu
          containers:
          - {name: productpage, image: docker.io/istio/examples-bookinfo-productpage-v1:1.10.1}
          - {name: istio-proxy, image: docker.io/istio/proxyv2:1.1.7}
        ---
        apiVersion: networking.istio.io/v1alpha3
        kind: Gateway
        metadata: {name: bookinfo-gateway, namespace: default}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*"]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: controller-7d4c8764f4-x2xq7, namespace: metallb-system, labels: {app: metallb, component: controller}}
        spec:
          containers: [{name: controller, image: metallb/controller:v0.7.3}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: config, namespace: metallb-system}
        data:
          config: |
            address-pools:
            - name: default
              protocol: layer2
              addresses:
              - 129.204.7.185-129.204.7.185
        """

    /// The notes' own Gateway and VirtualService, verbatim (no namespace: they land in `default`).
    static let notesManifests = """
        apiVersion: networking.istio.io/v1alpha3
        kind: Gateway
        metadata:
          name: prometheus-gateway
        spec:
          selector:
            istio: ingressgateway # use istio default controller
          servers:
          - port:
              number: 90
              name: http
              protocol: HTTP
            hosts:
            - "*"
        ---
        apiVersion: networking.istio.io/v1alpha3
        kind: VirtualService
        metadata:
          name: prometheus
        spec:
          hosts:
          - "*"
          gateways:
          - prometheus-gateway
          http:
          - match:
            - uri:
                regex: "*"
            route:
            - destination:
                host: prometheus
                port:
                  number: 9090
        """

    /// Kinds every cluster serves.
    static let builtIn: Set<KindKey> = [.service, .pod, .node, .namespace, .configMap, .deployment, .daemonSet, .ingress, .ingressClass, .crd]
    static let istioKinds: Set<KindKey> = [.istioGateway, .virtualService, .destinationRule, .serviceEntry, .peerAuthentication, .authorizationPolicy]
    static let gatewayAPIKinds: Set<KindKey> = [.apiGateway, .gatewayClass, .httpRoute, .referenceGrant]

    /// A live snapshot of `yaml`: every standard kind collected; served are the built-in kinds, the kinds
    /// of the objects present, Istio's when Istio objects are present, and `served`.
    static func live(_ yaml: String, served: Set<KindKey> = [], observations: [OutsideObservation] = []) throws -> ClusterSnapshot {
        var s = try ClusterSnapshot(manifests: yaml)
        s.fromManifests = []
        s.collectedKinds = KindKey.standard
        var kinds = builtIn.union(served).union(s.objects.keys)
        if !kinds.isDisjoint(with: istioKinds) || yaml.contains("istio/pilot") { kinds.formUnion(istioKinds) }
        s.servedKinds = kinds
        s.observations = observations
        for kind in KindKey.standard where s.objects[kind] == nil { s.objects[kind] = [] }
        return s
    }
}
