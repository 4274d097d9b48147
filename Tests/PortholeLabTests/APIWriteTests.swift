import Foundation
import PortholeKube
import Testing
@testable import PortholeLab

/// Writes through the real kubectl: create, apply, patch, admission, status, server-side apply, dry run, delete.
@Suite struct APIWriteTests {
    static func service(_ ports: String, name: String = "s1") -> String {
        "apiVersion: v1\nkind: Service\nmetadata: {name: \(name), namespace: default}\nspec:\n  selector: {app: s1}\n  ports:\n\(ports)\n"
    }

    @Test func createConflictsAndApplyTwiceIsUnchanged() throws {
        let f = try APIFixture(); defer { f.stop() }
        let yaml = Self.service("  - {name: http, port: 80, targetPort: 8080}")
        #expect(try f.k("create", "-f", "-", stdin: yaml).stdout == "service/s1 created\n")
        let again = try f.k("create", "-f", "-", stdin: yaml)
        #expect(again.stderr.contains(#"Error from server (AlreadyExists): error when creating "STDIN": services "s1" already exists"#), "\(again)")
        #expect(try f.k("apply", "-f", "-", stdin: yaml).exitCode == 0)
        #expect(try f.k("apply", "-f", "-", stdin: yaml).stdout == "service/s1 unchanged\n")
        let changed = Self.service("  - {name: http, port: 81, targetPort: 8080}")
        #expect(try f.k("apply", "-f", "-", stdin: changed).stdout == "service/s1 configured\n")
        #expect(try f.k("get", "svc", "s1", "-o", "jsonpath={.spec.ports[*].port}").stdout == "81")
    }

    @Test func patchesJSONMergeStrategic() throws {
        let f = try APIFixture(); defer { f.stop() }
        _ = try f.k("create", "-f", "-", stdin: Self.service("  - {name: http, port: 80, targetPort: 8080}"))
        let json = try f.k("patch", "svc", "s1", "--type=json", "-p", #"[{"op":"add","path":"/spec/ports/-","value":{"name":"metrics","port":9090}}]"#)
        #expect(json.exitCode == 0, "\(json)")
        #expect(try f.k("patch", "svc", "s1", "-p", #"{"spec":{"ports":[{"port":9090,"targetPort":9091}]}}"#).exitCode == 0)
        #expect(try f.k("get", "svc", "s1", "-o", "jsonpath={.spec.ports[*].port} {.spec.ports[1].targetPort}").stdout == "80 9090 9091")
        #expect(try f.k("patch", "svc", "s1", "--type=merge", "-p", #"{"metadata":{"labels":{"team":"obs"}}}"#).exitCode == 0)
        #expect(try f.k("label", "svc", "s1", "tier=web").exitCode == 0)
        #expect(try f.k("label", "svc", "s1", "tier=db").stderr.contains("already has a value"))
        #expect(try f.k("annotate", "svc", "s1", "note=hello").exitCode == 0)
        #expect(try f.k("get", "svc", "-l", "team=obs,tier=web", "-o", "jsonpath={.items[0].metadata.annotations.note}").stdout == "hello")
        let failedTest = try f.k("patch", "svc", "s1", "--type=json", "-p", #"[{"op":"test","path":"/spec/type","value":"NodePort"}]"#)
        #expect(failedTest.exitCode != 0)
    }

    @Test func nodePortAllocationAndAdmission() throws {
        let f = try APIFixture(); defer { f.stop() }
        _ = try f.k("create", "-f", "-", stdin: Self.service("  - {name: http, port: 80, targetPort: 8080}"))
        #expect(try f.k("patch", "svc", "s1", "--type=merge", "-p", #"{"spec":{"type":"NodePort"}}"#).exitCode == 0)
        let np = Int(try f.k("get", "svc", "s1", "-o", "jsonpath={.spec.ports[0].nodePort}").stdout) ?? 0
        #expect((30000...32767).contains(np))
        let range = try f.k("patch", "svc", "s1", "--type=json", "-p", #"[{"op":"replace","path":"/spec/ports/0/nodePort","value":70000}]"#)
        #expect(range.stderr.contains(#"The Service "s1" is invalid: spec.ports[0].nodePort: Invalid value: 70000: provided port is not in the valid range. The range of valid ports is 30000-32767"#), "\(range)")
        let taken = try f.k("patch", "svc", "s1", "--type=json", "-p", #"[{"op":"replace","path":"/spec/ports/0/nodePort","value":31380}]"#)
        #expect(taken.stderr.contains("spec.ports[0].nodePort: Invalid value: 31380: provided port is already allocated"), "\(taken)")
        let dup = try f.k("patch", "svc", "s1", "--type=json", "-p", #"[{"op":"add","path":"/spec/ports/-","value":{"name":"dup","port":80}}]"#)
        #expect(dup.stderr.contains("spec.ports[1]: Duplicate value"), "\(dup)")
        #expect(try f.k("patch", "svc", "s1", "--type=merge", "-p", #"{"spec":{"type":"ClusterIP"}}"#).exitCode == 0)
        #expect(try f.k("get", "svc", "s1", "-o", "jsonpath={.spec.ports[0].nodePort}").stdout == "")
    }

    @Test func statusThroughTheMainResourceIsDropped() throws {
        let f = try APIFixture(); defer { f.stop() }
        let r = try f.k("-n", "istio-system", "patch", "svc", "istio-ingressgateway", "--type=merge",
                        "-p", #"{"status":{"loadBalancer":{"ingress":[{"ip":"127.0.0.99"}]}}}"#)
        #expect(r.exitCode == 0, "\(r)")
        #expect(try f.k("-n", "istio-system", "get", "svc", "istio-ingressgateway", "-o", "jsonpath={.status.loadBalancer.ingress}").stdout == "")
        let sub = try f.k("-n", "istio-system", "patch", "svc", "istio-ingressgateway", "--subresource=status", "--type=merge",
                          "-p", #"{"status":{"loadBalancer":{"ingress":[{"ip":"127.0.0.99"}]}}}"#)
        #expect(sub.exitCode == 0, "\(sub)")
        #expect(try f.k("-n", "istio-system", "get", "svc", "istio-ingressgateway", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}").stdout == "127.0.0.99")
    }

    @Test func serverSideApplyAndDryRun() throws {
        let f = try APIFixture(); defer { f.stop() }
        func cm(_ v: String) -> String { "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm2, namespace: default}\ndata: {k: \(v)}\n" }
        #expect(try f.k("apply", "--server-side", "-f", "-", stdin: cm("v1")).stdout == "configmap/cm2 serverside-applied\n")
        #expect(try f.k("apply", "--server-side", "-f", "-", stdin: cm("v2")).exitCode == 0)
        let before = f.lab.requestLog.writes.count
        #expect(try f.k("apply", "--dry-run=server", "-f", "-", stdin: cm("v3")).stdout.contains("(server dry run)"))
        #expect(try f.k("get", "cm", "cm2", "-o", "jsonpath={.data.k}").stdout == "v2")
        #expect(f.lab.requestLog.writes.dropFirst(before).allSatisfy { $0.query.contains("dryRun=All") })
        let diff = try f.k("diff", "-f", "-", stdin: cm("v4"))
        #expect(diff.exitCode == 1 && diff.stdout.contains("+  k: v4"), "\(diff)")
    }

    @Test func customResourcesAcceptMergeNotStrategic() throws {
        let f = try APIFixture(); defer { f.stop() }
        let gw = "gateways.v1alpha3.networking.istio.io"
        #expect(try f.k("patch", gw, "bookinfo-gateway", "--type=merge", "-p", #"{"spec":{"selector":{"istio":"ingress"}}}"#).exitCode == 0)
        let smp = try f.k("patch", gw, "bookinfo-gateway", "-p", #"{"spec":{"selector":{"istio":"x"}}}"#)
        #expect(smp.exitCode != 0 && smp.stderr.contains("not supported"), "\(smp)")
    }

    @Test func deleteWaitsUntilGoneAndWatchSeesChanges() throws {
        let f = try APIFixture(); defer { f.stop() }
        _ = try f.k("create", "configmap", "gone", "--from-literal=a=b")
        let d = try f.k("delete", "configmap", "gone")
        #expect(d.stdout == "configmap \"gone\" deleted\n", "\(d)")
        #expect(try f.k("get", "configmap", "gone").stderr.contains("NotFound"))
        let w = try f.k("-n", "istio-system", "wait", "--for=jsonpath={.spec.type}=LoadBalancer", "svc/istio-ingressgateway", "--timeout=5s")
        #expect(w.exitCode == 0, "\(w)")
        let ns = try f.k("delete", "ns", "istio-system")
        #expect(ns.exitCode == 0, "\(ns)")
        #expect(try f.k("get", "svc", "-A", "-o", "name").stdout == "service/kubernetes\n")
    }

    @Test func protobufCreatesFromTypedGenerators() throws {
        let f = try APIFixture(); defer { f.stop() }
        #expect(try f.k("create", "namespace", "pb").stdout == "namespace/pb created\n")
        #expect(try f.k("-n", "pb", "create", "configmap", "c", "--from-literal=a=b", "--from-literal=c=d").exitCode == 0)
        #expect(try f.k("-n", "pb", "create", "secret", "generic", "s", "--from-literal=p=q").exitCode == 0)
        let svc = try f.k("-n", "pb", "create", "service", "nodeport", "np", "--tcp=82:8082", "--node-port=30082")
        #expect(svc.exitCode == 0, "\(svc)")
        #expect(try f.k("-n", "pb", "get", "cm", "c", "-o", "jsonpath={.data.a}{.data.c}").stdout == "bd")
        #expect(try f.k("-n", "pb", "get", "secret", "s", "-o", "jsonpath={.data.p}").stdout == "cQ==")
        #expect(try f.k("-n", "pb", "get", "svc", "np", "-o", "jsonpath={.spec.type} {.spec.ports[0].nodePort} {.spec.ports[0].targetPort}").stdout == "NodePort 30082 8082")
        let clash = try f.k("-n", "pb", "create", "service", "nodeport", "np2", "--tcp=83:8083", "--node-port=30082")
        #expect(clash.stderr.contains("provided port is already allocated"), "\(clash)")
        #expect(f.lab.requestLog.entries.contains { $0.contentType.hasPrefix("application/vnd.kubernetes.protobuf") && $0.status == 201 })
    }

    @Test func replaceWithAStaleResourceVersionConflicts() throws {
        let f = try APIFixture(); defer { f.stop() }
        _ = try f.k("create", "configmap", "r", "--from-literal=a=1")
        let stale = try f.k("get", "configmap", "r", "-o", "json").stdout
        #expect(try f.k("replace", "-f", "-", stdin: stale.replacingOccurrences(of: "\"a\": \"1\"", with: "\"a\": \"2\"")).exitCode == 0)
        let conflict = try f.k("replace", "-f", "-", stdin: stale.replacingOccurrences(of: "\"a\": \"1\"", with: "\"a\": \"3\""))
        #expect(conflict.stderr.contains(#"Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on configmaps "r": the object has been modified"#), "\(conflict)")
        #expect(try f.k("get", "configmap", "r", "-o", "jsonpath={.data.a}").stdout == "2")
    }
}
