import Foundation
import PortholeKube

/// Server-side `Table` rendering (kubectl asks `as=Table;v=v1;g=meta.k8s.io`): the columns a real
/// server prints for services, pods, namespaces and configmaps, NAME/AGE for everything else.
struct TableRenderer {
    var now: Date = Date()

    struct Column { var name: String; var type: String = "string"; var format: String = ""; var priority: Int = 0 }

    func columns(for r: APIResource) -> [Column] {
        switch (r.group, r.plural) {
        case ("", "services"):
            return [Column(name: "Name", format: "name"), Column(name: "Type"), Column(name: "Cluster-IP"), Column(name: "External-IP"),
                    Column(name: "Port(s)"), Column(name: "Age"), Column(name: "Selector", priority: 1)]
        case ("", "pods"):
            return [Column(name: "Name", format: "name"), Column(name: "Ready"), Column(name: "Status"), Column(name: "Restarts", type: "string"),
                    Column(name: "Age"), Column(name: "IP", priority: 1), Column(name: "Node", priority: 1),
                    Column(name: "Nominated Node", priority: 1), Column(name: "Readiness Gates", priority: 1)]
        case ("", "namespaces"):
            return [Column(name: "Name", format: "name"), Column(name: "Status"), Column(name: "Age")]
        case ("", "configmaps"):
            return [Column(name: "Name", format: "name"), Column(name: "Data", type: "integer"), Column(name: "Age")]
        case ("", "secrets"):
            return [Column(name: "Name", format: "name"), Column(name: "Type"), Column(name: "Data", type: "integer"), Column(name: "Age")]
        case ("", "nodes"):
            return [Column(name: "Name", format: "name"), Column(name: "Status"), Column(name: "Roles"), Column(name: "Age"),
                    Column(name: "Version"), Column(name: "Internal-IP", priority: 1), Column(name: "External-IP", priority: 1)]
        case ("", "endpoints"):
            return [Column(name: "Name", format: "name"), Column(name: "Endpoints"), Column(name: "Age")]
        case ("apps", "deployments"):
            return [Column(name: "Name", format: "name"), Column(name: "Ready"), Column(name: "Up-to-date", type: "integer"),
                    Column(name: "Available", type: "integer"), Column(name: "Age"), Column(name: "Containers", priority: 1),
                    Column(name: "Images", priority: 1), Column(name: "Selector", priority: 1)]
        case ("apps", "statefulsets"):
            return [Column(name: "Name", format: "name"), Column(name: "Ready"), Column(name: "Age")]
        case ("apps", "replicasets"), ("apps", "daemonsets"):
            return [Column(name: "Name", format: "name"), Column(name: "Desired", type: "integer"), Column(name: "Current", type: "integer"),
                    Column(name: "Ready", type: "integer"), Column(name: "Age")]
        case ("discovery.k8s.io", "endpointslices"):
            return [Column(name: "Name", format: "name"), Column(name: "AddressType"), Column(name: "Ports"), Column(name: "Endpoints"), Column(name: "Age")]
        case ("networking.k8s.io", "ingresses"):
            return [Column(name: "Name", format: "name"), Column(name: "Class"), Column(name: "Hosts"), Column(name: "Address"),
                    Column(name: "Ports"), Column(name: "Age")]
        case ("", "events"):
            return [Column(name: "Last Seen"), Column(name: "Type"), Column(name: "Reason"), Column(name: "Object"), Column(name: "Message"),
                    Column(name: "Name", format: "name", priority: 1)]
        default:
            return [Column(name: "Name", format: "name"), Column(name: "Age")]
        }
    }

    func cells(for r: APIResource, _ o: JSONValue) -> [JSONValue] {
        let name = JSONValue.string(o["metadata"]?["name"]?.stringValue ?? "")
        let age = JSONValue.string(Self.age(o["metadata"]?["creationTimestamp"]?.stringValue, now: now))
        switch (r.group, r.plural) {
        case ("", "services"):
            let spec = o["spec"] ?? [:]
            let type = spec["type"]?.stringValue ?? "ClusterIP"
            let selector = (spec["selector"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.plainText)" }
            return [name, .string(type), .string(spec["clusterIP"]?.stringValue ?? "<none>"), .string(Self.externalIP(o)),
                    .string(Self.ports(spec)), age, .string(selector.isEmpty ? "<none>" : selector.joined(separator: ","))]
        case ("", "pods"):
            return [name, .string(PodColumns.ready(o)), .string(PodColumns.status(o)), .string(PodColumns.restarts(o, now: now)), age,
                    .string(o["status"]?["podIP"]?.stringValue ?? "<none>"), .string(o["spec"]?["nodeName"]?.stringValue ?? "<none>"), "<none>", "<none>"]
        case ("", "namespaces"):
            return [name, .string(o["status"]?["phase"]?.stringValue ?? "Active"), age]
        case ("", "configmaps"):
            let n = (o["data"]?.objectValue?.count ?? 0) + (o["binaryData"]?.objectValue?.count ?? 0)
            return [name, .int(n), age]
        case ("", "secrets"):
            return [name, .string(o["type"]?.stringValue ?? "Opaque"), .int(o["data"]?.objectValue?.count ?? 0), age]
        case ("", "nodes"):
            let labels = o["metadata"]?["labels"]?.objectValue ?? [:]
            let roles = labels.keys.filter { $0.hasPrefix("node-role.kubernetes.io/") }.map { String($0.dropFirst(24)) }.sorted()
            let addrs = o["status"]?["addresses"]?.arrayValue ?? []
            func addr(_ t: String) -> String { addrs.first { $0["type"]?.stringValue == t }?["address"]?.stringValue ?? "<none>" }
            let ready = (o["status"]?["conditions"]?.arrayValue ?? []).first { $0["type"]?.stringValue == "Ready" }?["status"]?.stringValue
            return [name, .string(ready == "False" ? "NotReady" : "Ready"), .string(roles.isEmpty ? "<none>" : roles.joined(separator: ",")), age,
                    .string(o["status"]?["nodeInfo"]?["kubeletVersion"]?.stringValue ?? "v1.32.4"), .string(addr("InternalIP")), .string(addr("ExternalIP"))]
        case ("", "endpoints"):
            var eps: [String] = []
            for s in o["subsets"]?.arrayValue ?? [] {
                for a in s["addresses"]?.arrayValue ?? [] {
                    for p in s["ports"]?.arrayValue ?? [[:]] {
                        let ip = a["ip"]?.stringValue ?? ""
                        eps.append(p["port"].map { "\(ip):\($0.plainText)" } ?? ip)
                    }
                }
            }
            return [name, .string(eps.isEmpty ? "<none>" : eps.joined(separator: ",")), age]
        case ("apps", _):
            let spec = o["spec"] ?? [:], st = o["status"] ?? [:]
            let want = r.plural == "daemonsets" ? (st["desiredNumberScheduled"]?.intValue ?? 0) : (spec["replicas"]?.intValue ?? 1)
            let ready = (r.plural == "daemonsets" ? st["numberReady"] : st["readyReplicas"])?.intValue ?? 0
            let current = (r.plural == "daemonsets" ? st["currentNumberScheduled"] : st["replicas"])?.intValue ?? 0
            switch r.plural {
            case "deployments":
                let containers = spec["template"]?["spec"]?["containers"]?.arrayValue ?? []
                let selector = (spec["selector"]?["matchLabels"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.plainText)" }
                return [name, .string("\(ready)/\(want)"), .int(st["updatedReplicas"]?.intValue ?? 0), .int(st["availableReplicas"]?.intValue ?? 0), age,
                        .string(containers.compactMap { $0["name"]?.stringValue }.joined(separator: ",")),
                        .string(containers.compactMap { $0["image"]?.stringValue }.joined(separator: ",")),
                        .string(selector.joined(separator: ","))]
            case "statefulsets":
                return [name, .string("\(ready)/\(want)"), age]
            default:
                return [name, .int(want), .int(current), .int(ready), age]
            }
        case ("discovery.k8s.io", "endpointslices"):
            let ports = (o["ports"]?.arrayValue ?? []).compactMap { $0["port"]?.plainText }
            let addrs = (o["endpoints"]?.arrayValue ?? []).flatMap { ($0["addresses"]?.arrayValue ?? []).map(\.plainText) }
            return [name, .string(o["addressType"]?.stringValue ?? "IPv4"), .string(ports.isEmpty ? "<unset>" : ports.joined(separator: ",")),
                    .string(addrs.isEmpty ? "<unset>" : addrs.joined(separator: ",")), age]
        case ("networking.k8s.io", "ingresses"):
            let spec = o["spec"] ?? [:]
            let hosts = (spec["rules"]?.arrayValue ?? []).map { $0["host"]?.stringValue ?? "*" }
            let addrs = (o["status"]?["loadBalancer"]?["ingress"]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }
            let ports = (spec["tls"]?.arrayValue ?? []).isEmpty ? "80" : "80, 443"
            return [name, .string(spec["ingressClassName"]?.stringValue ?? "<none>"), .string(hosts.isEmpty ? "*" : hosts.joined(separator: ",")),
                    .string(addrs.joined(separator: ",")), .string(ports), age]
        case ("", "events"):
            let last = o["lastTimestamp"]?.stringValue ?? o["eventTime"]?.stringValue ?? o["metadata"]?["creationTimestamp"]?.stringValue
            let involved = o["involvedObject"] ?? [:]
            let object = "\((involved["kind"]?.stringValue ?? "").lowercased())/\(involved["name"]?.stringValue ?? "")"
            return [.string(Self.age(last, now: now)), .string(o["type"]?.stringValue ?? "Normal"), .string(o["reason"]?.stringValue ?? ""),
                    .string(object), .string(o["message"]?.stringValue ?? ""), name]
        default:
            return [name, age]
        }
    }

    /// The `Table` for objects; `includeObject` is `None`, `Object` or (default) `Metadata`.
    func table(for r: APIResource, version: String, objects: [JSONValue], includeObject: String?, resourceVersion: Int) -> JSONValue {
        let cols: [JSONValue] = columns(for: r).map {
            ["name": .string($0.name), "type": .string($0.type), "format": .string($0.format), "description": .string($0.name), "priority": .int($0.priority)]
        }
        let rows: [JSONValue] = objects.map { o in
            var row: JSONValue = ["cells": .array(cells(for: r, o))]
            switch includeObject {
            case "None": break
            case "Object": row["object"] = o
            default:
                row["object"] = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": o["metadata"] ?? [:]]
            }
            return row
        }
        return ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": ["resourceVersion": .string(String(resourceVersion))],
                "columnDefinitions": .array(cols), "rows": .array(rows)]
    }

    /// `<pending>` for a LoadBalancer without ingress, `<none>` for the others without external IPs.
    static func externalIP(_ o: JSONValue) -> String {
        let spec = o["spec"] ?? [:]
        var ips = (spec["externalIPs"]?.arrayValue ?? []).compactMap(\.stringValue)
        let type = spec["type"]?.stringValue ?? "ClusterIP"
        if type == "LoadBalancer" {
            let ingress = (o["status"]?["loadBalancer"]?["ingress"]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }
            ips = ingress + ips
            return ips.isEmpty ? "<pending>" : ips.joined(separator: ",")
        }
        if type == "ExternalName" { return spec["externalName"]?.stringValue ?? "<none>" }
        return ips.isEmpty ? "<none>" : ips.joined(separator: ",")
    }

    /// `80/TCP,9090:31399/TCP`.
    static func ports(_ spec: JSONValue) -> String {
        let ps = spec["ports"]?.arrayValue ?? []
        if ps.isEmpty { return "<none>" }
        return ps.map { p in
            let proto = p["protocol"]?.stringValue ?? "TCP"
            let port = p["port"]?.plainText ?? ""
            if let np = p["nodePort"]?.intValue, np != 0 { return "\(port):\(np)/\(proto)" }
            return "\(port)/\(proto)"
        }.joined(separator: ",")
    }

    /// kubectl's human duration: 45s, 5m10s, 3h20m, 2d3h, 400d.
    static func age(_ timestamp: String?, now: Date) -> String {
        guard let t = timestamp, let d = ISO8601DateFormatter().date(from: t) else { return "<unknown>" }
        let s = max(0, Int(now.timeIntervalSince(d)))
        if s < 120 { return "\(s)s" }
        let m = s / 60
        if m < 10 { return s % 60 == 0 ? "\(m)m" : "\(m)m\(s % 60)s" }
        if m < 180 { return "\(m)m" }
        let h = m / 60
        if h < 8 { return m % 60 == 0 ? "\(h)h" : "\(h)h\(m % 60)m" }
        if h < 48 { return "\(h)h" }
        let days = h / 24
        if days < 8 { return h % 24 == 0 ? "\(days)d" : "\(days)d\(h % 24)h" }
        return "\(days)d"
    }
}
