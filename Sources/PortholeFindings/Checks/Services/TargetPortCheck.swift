import Foundation
import PortholeKube

extension FindingDefinition {
    static let targetPortNotServed = FindingDefinition(
        code: "PH0108", level: .error, title: "TargetPortNotServed",
        template: "{service} port {port} sends to {target} on pod {pod}, where {why}: connections through the Service are refused",
        cause: "A Service forwards to its targetPort on each selected pod. A named targetPort that no container port of the pod carries leaves the Service without endpoints for that port; a number where the container does not listen gets a TCP reset (connection refused, 503 UF behind Envoy). kubectl port-forward to the pod's real port still works, which hides the mistake.",
        fix: "set the Service's targetPort to {listening} (kubectl -n {namespace} edit svc {name}), or {alternative}")

    static let prometheusListensOnLoopback = FindingDefinition(
        code: "PH0109", level: .error, title: "PrometheusListensOnLoopbackOnly",
        template: "Prometheus in pod {pod} listens on {address} (--web.listen-address): only the pod itself reaches it, so {service} and every way in through it are refused",
        cause: "A server bound to 127.0.0.1 (or localhost) accepts connections from inside its own network namespace only. kubectl port-forward connects from inside the pod, so it works; kube-proxy, NodePorts, load balancers, gateways and ingress controllers connect to the pod's IP and are refused.",
        fix: "start Prometheus with --web.listen-address=0.0.0.0:{port} (or :{port}), then reach it through {service}")
}

/// A Service on the way in whose targetPort nobody in the selected pods serves (read live).
public enum TargetPortCheck: FindingCheck {
    public static let id = "service-target-port-not-served"
    public static var definitions: [FindingDefinition] { [.targetPortNotServed, .prometheusListensOnLoopback] }

    /// Container ports of a pod by name.
    static func namedPorts(_ pod: Pod) -> [String: Int] {
        var out: [String: Int] = [:]
        for c in pod.containers {
            for p in c["ports"]?.arrayValue ?? [] {
                if let n = p["name"]?.stringValue, let num = p["containerPort"]?.intValue { out[n] = num }
            }
        }
        return out
    }

    /// The container port to suggest: Prometheus's own (the port it listens on) when known, else the first port of
    /// a container that is not a sidecar (istio-proxy, a config reloader), else any port.
    static func suggestedPort(_ pod: Pod, listen: Int?) -> (name: String?, number: Int)? {
        let ports = pod.containers.flatMap { c in
            (c["ports"]?.arrayValue ?? []).compactMap { p in
                p["containerPort"]?.intValue.map { (name: p["name"]?.stringValue, number: $0, sidecar: isSidecar(c)) }
            }
        }
        let pick = ports.first { $0.number == listen } ?? ports.first { !$0.sidecar } ?? ports.first
        return pick.map { ($0.name, $0.number) }
    }

    /// A container that rides along the workload: Istio's proxy, or a configuration reloader.
    static func isSidecar(_ container: JSONValue) -> Bool {
        let name = container["name"]?.stringValue ?? "", image = container["image"]?.stringValue ?? ""
        return name == "istio-proxy" || image.contains("proxyv2") || name.contains("reload") || image.contains("reload")
    }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        guard s.isLive, s.knows(.pod) else { return [] }
        let routed = Set(DestinationRuleTLSCheck.routedServices(s).map(\.reference))
        var out: [Finding] = []
        var loopbackReported = Set<String>()
        for svc in s.services where !svc.selector.isEmpty && (routed.contains(svc.reference) || svc.exposesNodePorts || PrometheusTargets.isPrometheus(svc)) {
            guard let pod = s.pods(selectedBy: svc).first(where: { !$0.isGatewayProxy }) else { continue }
            let listen = PrometheusTargets.isPrometheus(svc) ? PrometheusListen.of(containers: pod.containers) : nil
            if let l = listen, l.loopbackOnly, loopbackReported.insert("\(pod.namespace)/\(pod.name)").inserted {
                out.append(FindingDefinition.prometheusListensOnLoopback.make(svc.reference, field: "spec.selector", [
                    "pod": .value("\(pod.namespace)/\(pod.name)"), "address": .value("\(l.host):\(l.port)"),
                    "service": .object(svc.reference), "port": .port(l.port),
                ]))
                continue
            }
            let named = namedPorts(pod)
            for p in svc.ports {
                var why: String?, listening = "", alternative = "make the container listen on \(p.targetPort.map { $0.plainText } ?? "\(p.port)")"
                if case .string(let name)? = p.targetPort, Int(name) == nil {
                    if named[name] == nil {
                        why = named.isEmpty ? "no container declares a port named \(name)"
                            : "no container port is named \(name) (there are \(named.keys.sorted().joined(separator: ", ")))"
                        listening = suggestedPort(pod, listen: listen?.port).map { $0.name.map { n in "\(n) or its number" } ?? "\($0.number) (the container's port, which has no name)" }
                            ?? "the container's port number"
                        alternative = "name the container's port \(name) in the pod template (ports: [{name: \(name), containerPort: ...}])"
                    }
                } else if let l = listen, let target = p.targetNumber, target != l.port, svc.ports.count == 1 || p.port == 9090 || target == 9090 {
                    why = "Prometheus listens on \(l.port) (--web.listen-address)"
                    listening = "\(l.port)"
                }
                guard let why else { continue }
                out.append(FindingDefinition.targetPortNotServed.make(svc.reference, field: "spec.ports[\(p.index)].targetPort", [
                    "service": .object(svc.reference), "port": .port(p.port), "target": .value(p.targetPort.map { $0.plainText } ?? "\(p.port)"),
                    "pod": .value("\(pod.namespace)/\(pod.name)"), "why": .value(why), "listening": .value(listening),
                    "namespace": .value(svc.namespace), "name": .value(svc.name), "alternative": .value(alternative),
                ]))
            }
        }
        return out
    }

    static let service = """
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus, namespace: istio-system}
        spec:
          type: NodePort
          selector: {app: prometheus}
          ports: [{name: http, port: 9090, targetPort: TARGET, nodePort: 31390}]
        """

    static func pod(args: String = "[--config.file=/etc/prometheus/prometheus.yml]") -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: prometheus-0, namespace: istio-system, labels: {app: prometheus}}
        spec:
          containers:
          - name: prometheus
            image: prom/prometheus:v2.42.0
            args: \(args)
            ports: [{name: web, containerPort: 9090}]
        """
    }

    public static var examples: [CheckExample] {
        func svc(_ target: String) -> String { service.replacingOccurrences(of: "TARGET", with: target) }
        return [
            CheckExample("targetPort names a port the pod does not have", raises: ["PH0108"], live: true, yaml: svc("http-web") + "\n---\n" + pod()),
            CheckExample("targetPort where Prometheus does not listen", raises: ["PH0108"], live: true,
                         yaml: svc("9091") + "\n---\n" + pod()),
            CheckExample("Prometheus moved to 9091, the Service still sends to 9090", raises: ["PH0108"], live: true,
                         yaml: svc("9090") + "\n---\n" + pod(args: "[--web.listen-address=:9091]")),
            CheckExample("Prometheus bound to 127.0.0.1", raises: ["PH0109"], live: true,
                         yaml: svc("9090") + "\n---\n" + pod(args: "[--web.listen-address=127.0.0.1:9090]")),
            CheckExample("named targetPort the pod carries", raises: [], live: true, yaml: svc("web") + "\n---\n" + pod()),
            CheckExample("numeric targetPort where Prometheus listens", raises: [], live: true,
                         yaml: svc("9090") + "\n---\n" + pod(args: "[--web.listen-address=0.0.0.0:9090]")),
        ]
    }
}
