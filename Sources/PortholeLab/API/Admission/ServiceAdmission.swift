import Foundation
import PortholeKube
import PortholeNet

/// What the API server itself does to a Service before storing it (the part no controller does):
/// defaults, validation, clusterIP allocation from the service CIDR, nodePort allocation in the range.
///
/// Cluster IPs are display values only (never routable, nothing connects to them).
struct ServiceAdmission: Sendable {
    let store: ObjectStore
    let serviceCIDR: String
    let nodePorts: ClosedRange<Int>

    init(store: ObjectStore, topology: LabTopology) {
        self.store = store
        serviceCIDR = topology.kubernetes.serviceCIDR ?? "10.96.0.0/12"
        let parts = (topology.kubernetes.nodePortRange ?? "30000-32767").split(separator: "-").compactMap { Int($0) }
        nodePorts = parts.count == 2 && parts[0] <= parts[1] ? parts[0]...parts[1] : 30000...32767
    }

    func admit(ref: ObjectRef, object: JSONValue, old: JSONValue?) throws -> JSONValue {
        var o = object
        var spec = o["spec"] ?? [:]
        let type = spec["type"]?.stringValue ?? "ClusterIP"
        spec["type"] = .string(type)
        if spec["sessionAffinity"] == nil { spec["sessionAffinity"] = "None" }
        var causes: [(field: String, message: String)] = []
        let validTypes = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]
        if !validTypes.contains(type) {
            causes.append(("spec.type", "Unsupported value: \"\(type)\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""))
        }
        // A headless Service has no virtual IP for kube-proxy to put on a nodePort or behind a load
        // balancer, and its clusterIP cannot change: the API server refuses the type (the operator's
        // `prometheus-operated` patched to NodePort gets exactly this).
        let headless = (spec["clusterIP"]?.stringValue ?? old?["spec"]?["clusterIP"]?.stringValue) == "None"
        if headless && (type == "NodePort" || type == "LoadBalancer") {
            causes.append(("spec.clusterIPs[0]", "Invalid value: \"None\": may not be set to 'None' for \(type) services"))
        }
        // loadBalancerSourceRanges: LoadBalancer only, and CIDRs (the server's field path keeps its historical capital).
        let ranges = spec["loadBalancerSourceRanges"]?.arrayValue ?? []
        if !ranges.isEmpty && type != "LoadBalancer" {
            causes.append(("spec.LoadBalancerSourceRanges", "Forbidden: may only be used when `type` is 'LoadBalancer'"))
        }
        for (i, r) in ranges.enumerated() {
            let text = (r.stringValue ?? "").trimmingCharacters(in: .whitespaces)
            if !IPv4.isCIDR(text) {
                causes.append(("spec.LoadBalancerSourceRanges[\(i)]", "Invalid value: \"\(text)\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"))
            }
        }
        var ports = spec["ports"]?.arrayValue ?? []
        if ports.isEmpty && type != "ExternalName" && spec["clusterIP"]?.stringValue != "None" {
            causes.append(("spec.ports", "Required value"))
        }
        let oldPorts = old?["spec"]?["ports"]?.arrayValue ?? []
        let wantsNodePorts = type == "NodePort" || type == "LoadBalancer"
        var seen: [String: Int] = [:], names: Set<String> = []
        for i in ports.indices {
            var p = ports[i]
            let proto = p["protocol"]?.stringValue ?? "TCP"
            p["protocol"] = .string(proto)
            guard let port = p["port"]?.intValue, (1...65535).contains(port) else {
                causes.append(("spec.ports[\(i)].port", "Invalid value: \(p["port"]?.compactJSON ?? "0"): must be between 1 and 65535, inclusive"))
                continue
            }
            if p["targetPort"] == nil || p["targetPort"] == .int(0) { p["targetPort"] = .int(port) }
            let name = p["name"]?.stringValue ?? ""
            if ports.count > 1 && name.isEmpty { causes.append(("spec.ports[\(i)].name", "Required value")) }
            if !name.isEmpty && !names.insert(name).inserted { causes.append(("spec.ports[\(i)].name", "Duplicate value: \"\(name)\"")) }
            if seen["\(port)/\(proto)"] != nil {
                causes.append(("spec.ports[\(i)]", "Duplicate value: core.ServicePort{Name:\"\(name)\", Protocol:\"\(proto)\", Port:\(port)}"))
            }
            seen["\(port)/\(proto)"] = i
            if wantsNodePorts {
                if p["nodePort"]?.intValue ?? 0 == 0,
                   let prior = oldPorts.first(where: { $0["port"]?.intValue == port && ($0["protocol"]?.stringValue ?? "TCP") == proto })?["nodePort"] {
                    p["nodePort"] = prior
                }
            } else {
                if let np = p["nodePort"]?.intValue, np != 0, old == nil || old?["spec"]?["type"]?.stringValue == type {
                    causes.append(("spec.ports[\(i)].nodePort", "Forbidden: may not be used when `type` is '\(type)'"))
                }
                p["nodePort"] = nil
            }
            ports[i] = p
        }
        if wantsNodePorts {
            let taken = allocatedNodePorts(except: ref)
            var mine: Set<Int> = []
            for i in ports.indices {
                guard let np = ports[i]["nodePort"]?.intValue, np != 0 else { continue }
                if !nodePorts.contains(np) {
                    causes.append(("spec.ports[\(i)].nodePort", "Invalid value: \(np): provided port is not in the valid range. The range of valid ports is \(nodePorts.lowerBound)-\(nodePorts.upperBound)"))
                } else if taken.contains(np) {
                    causes.append(("spec.ports[\(i)].nodePort", "Invalid value: \(np): provided port is already allocated"))
                }
                mine.insert(np)
            }
            if causes.isEmpty {
                for i in ports.indices where (ports[i]["nodePort"]?.intValue ?? 0) == 0 {
                    guard let np = freeNodePort(taken.union(mine)) else {
                        causes.append(("spec.ports[\(i)].nodePort", "Internal error: range is full"))
                        break
                    }
                    ports[i]["nodePort"] = .int(np)
                    mine.insert(np)
                }
            }
            if spec["externalTrafficPolicy"] == nil { spec["externalTrafficPolicy"] = "Cluster" }
            if type == "LoadBalancer" && spec["allocateLoadBalancerNodePorts"] == nil { spec["allocateLoadBalancerNodePorts"] = true }
        } else {
            spec["externalTrafficPolicy"] = nil
            spec["allocateLoadBalancerNodePorts"] = nil
        }
        if !ports.isEmpty { spec["ports"] = .array(ports) }
        try assignClusterIP(&spec, ref: ref, old: old, causes: &causes)
        if !causes.isEmpty { throw APIError.invalid(kind: "Service", group: "", name: ref.name, causes: causes) }
        if spec["internalTrafficPolicy"] == nil && type != "ExternalName" { spec["internalTrafficPolicy"] = "Cluster" }
        o["spec"] = spec
        return o
    }

    private func assignClusterIP(_ spec: inout JSONValue, ref: ObjectRef, old: JSONValue?, causes: inout [(field: String, message: String)]) throws {
        if spec["type"]?.stringValue == "ExternalName" { return }
        let oldIP = old?["spec"]?["clusterIP"]?.stringValue
        var ip = spec["clusterIP"]?.stringValue ?? ""
        if ip.isEmpty, let o = oldIP { ip = o }
        if let o = oldIP, !o.isEmpty, ip != o {
            causes.append(("spec.clusterIPs[0]", "Invalid value: []string{\"\(ip)\"}: may not change once set"))
            return
        }
        if ip.isEmpty {
            guard let fresh = freeClusterIP(for: ref) else { causes.append(("spec.clusterIP", "Internal error: service CIDR is full")); return }
            ip = fresh
        } else if ip != "None" && !IPv4.contains(cidr: serviceCIDR, address: ip) && oldIP == nil {
            causes.append(("spec.clusterIPs", "Invalid value: []string{\"\(ip)\"}: failed to allocate IP \(ip): the provided IP (\(ip)) is not in the valid range. The range of valid IPs is \(serviceCIDR)"))
            return
        }
        spec["clusterIP"] = .string(ip)
        spec["clusterIPs"] = [.string(ip)]
        if ip != "None" {
            if spec["ipFamilies"] == nil { spec["ipFamilies"] = ["IPv4"] }
            if spec["ipFamilyPolicy"] == nil { spec["ipFamilyPolicy"] = "SingleStack" }
        }
    }

    private func services() -> [ObjectRef: JSONValue] {
        store.all().filter { $0.key.key == ResourceKey(group: "", resource: "services") }
    }

    private func allocatedNodePorts(except ref: ObjectRef) -> Set<Int> {
        var out: Set<Int> = []
        for (r, s) in services() where r != ref {
            for p in s["spec"]?["ports"]?.arrayValue ?? [] { if let n = p["nodePort"]?.intValue, n != 0 { out.insert(n) } }
        }
        return out
    }

    private func freeNodePort(_ taken: Set<Int>) -> Int? {
        let free = nodePorts.filter { !taken.contains($0) }
        return free.randomElement()
    }

    /// A stable address for a name (so reruns show the same clusterIP), probing on collisions.
    private func freeClusterIP(for ref: ObjectRef) -> String? {
        let parts = serviceCIDR.split(separator: "/")
        guard let base = IPv4.value(String(parts[0])), let bits = parts.count > 1 ? Int(parts[1]) : 24, bits < 31 else { return nil }
        let size = UInt32(1) << UInt32(32 - bits)
        let used = Set(services().compactMap { $0.value["spec"]?["clusterIP"]?.stringValue })
        var h: UInt32 = 2166136261
        for b in "\(ref.namespace)/\(ref.name)".utf8 { h = (h ^ UInt32(b)) &* 16777619 }
        for step in 0..<min(size - 2, 4096) {
            let offset = 10 + (h &+ step) % (size - 12)
            let v = (base & ~(size - 1)) + offset
            let text = "\(v >> 24).\((v >> 16) & 255).\((v >> 8) & 255).\(v & 255)"
            if !used.contains(text) { return text }
        }
        return nil
    }
}
