import Foundation

extension UndoFidelityTests {
    /// A lab situation no shipped scenario holds: a shipped scenario with overlays from `Fixtures/` (see
    /// `LabFixture.text`), or a variant scenario kept there, run only with the playbooks it is for, since every
    /// shipped scenario is also run by every other end-to-end suite.
    struct Situation {
        var scenario: String
        var playbooks: [String]
        var inputs: [String: String] = [:]
        /// Inputs written in the scenario's own addresses (a pool, a requested IP); moved with the lab.
        var addresses: [String: String] = [:]
    }

    /// Where each writing fix that the shipped scenarios never call for meets the facts that call for it, as an
    /// operator would meet them. Each overlay's header says what it stands for.
    static let situations: [Situation] = [
        // MetalLB 0.14 just installed: create-pool, create-l2-advertisement, make-loadbalancer.
        Situation(scenario: "metallb-crds+fresh-metallb", playbooks: ["loadbalancer-metallb"],
                  addresses: ["poolAddresses": "127.168.10.240-127.168.10.250"]),
        // The shipped metallb-crds (pool lan-pool, an L2Advertisement naming only it), asking for an address the
        // operator keeps outside the pool: create-pool-for-ip, advertise-own-pool, make-loadbalancer-ip.
        Situation(scenario: "metallb-crds", playbooks: ["loadbalancer-metallb"],
                  addresses: ["loadBalancerIP": "127.168.10.230"]),
        // MetalLB 0.12 on bare metal, installed from its manifest with no ConfigMap yet: create-legacy-pool,
        // make-loadbalancer-legacy-ip (spec.loadBalancerIP, as 0.12 reads a request).
        Situation(scenario: "metallb-0.12-bare-metal", playbooks: ["loadbalancer-metallb"], inputs: ["namespace": "monitoring"],
                  addresses: ["poolAddresses": "127.168.50.240-127.168.50.250", "loadBalancerIP": "127.168.50.240"]),
        // Port 9090 and externalTrafficPolicy Local declared the lasting way (IstioOperator), and a mesh-wide
        // ISTIO_MUTUAL DestinationRule in front of the unmeshed Prometheus: disable-tls-to-prometheus and
        // restrict-to-operator in both Istio playbooks.
        Situation(scenario: "metallb-crds+prometheus-port-declared+mesh-wide-istio-mutual", playbooks: ["ingressgateway-port", "istio-gateway"],
                  inputs: ["operatorCIDR": "127.0.0.1/32"]),
        // After the notes' last attempt, on an ingress-nginx cluster: restore-injection, controller-nodeport,
        // prometheus-permissive (a Service selecting `app`), delete-stray-ingress, allow-list.
        Situation(scenario: "ingress-nginx+injection-disabled-after-start+controller-clusterip+prometheus-selected-by-app+stray-ingress",
                  playbooks: ["nginx-ingress"], inputs: ["operatorCIDR": "127.0.0.1/32"]),
        // ingress-nginx whose controller Service keeps client addresses (externalTrafficPolicy Local): the allow-list
        // (with Cluster it is never written: nginx would see a node's address, PH0704).
        Situation(scenario: "ingress-nginx+controller-keeps-client-address", playbooks: ["nginx-ingress"], inputs: ["operatorCIDR": "127.0.0.1/32"]),
        // A Gateway written after Istio's task into istio-ingress, left with allowedRoutes Same, on a MetalLB with no
        // pool yet, its Service patched to externalTrafficPolicy Local: gateway-nodeport (AddressNotAssigned),
        // admit-route-namespace (NotAllowedByListeners), restrict-to-operator.
        Situation(scenario: "gateway-api+fresh-metallb+gateway-in-istio-ingress+gateway-service-keeps-client-address",
                  playbooks: ["gateway-api"], inputs: ["gatewayNamespace": "istio-ingress", "operatorCIDR": "127.0.0.1/32"]),
    ]
}
