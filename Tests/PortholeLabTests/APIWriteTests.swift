import Foundation
import PortholeKube
import PortholeNet
import PortholeTestSupport
import Testing
@testable import PortholeLab

/// Writes through the real kubectl: create, apply, patch, admission, status, server-side apply, dry run, delete.
@Suite(.serialized) struct APIWriteTests {
    static func service(_ ports: String, name: String = "s1") -> String {
        "apiVersion: v1\nkind: Service\nmetadata: {name: \(name), namespace: default}\nspec:\n  selector: {app: s1}\n  ports:\n\(ports)\n"
    }

    @Test func createConflictsAndApplyTwiceIsUnchanged() async throws {
        let f = try APIFixture(); defer { f.stop() }
        let yaml = Self.service("  - {name: http, port: 80, targetPort: 8080}")
        #expect(try await f.k("create", "-f", "-", stdin: yaml).stdout == "service/s1 created\n")
        let again = try await f.k("create", "-f", "-", stdin: yaml)
        #expect(again.stderr.contains(#"Error from server (AlreadyExists): error when creating "STDIN": services "s1" already exists"#), "\(again)")
        #expect(try await f.k("apply", "-f", "-", stdin: yaml).exitCode == 0)
        #expect(try await f.k("apply", "-f", "-", stdin: yaml).stdout == "service/s1 unchanged\n")
        let changed = Self.service("  - {name: http, port: 81, targetPort: 8080}")
        #expect(try await f.k("apply", "-f", "-", stdin: changed).stdout == "service/s1 configured\n")
        #expect(try await f.k("get", "svc", "s1", "-o", "jsonpath={.spec.ports[*].port}").stdout == "81")
    }

    @Test func patchesJSONMergeStrategic() async throws {
        let f = try APIFixture(); defer { f.stop() }
        _ = try await f.k("create", "-f", "-", stdin: Self.service("  - {name: http, port: 80, targetPort: 8080}"))
        let json = try await f.k("patch", "svc", "s1", "--type=json", "-p", #"[{"op":"add","path":"/spec/ports/-","value":{"name":"metrics","port":9090}}]"#)
        #expect(json.exitCode == 0, "\(json)")
        #expect(try await f.k("patch", "svc", "s1", "-p", #"{"spec":{"ports":[{"port":9090,"targetPort":9091}]}}"#).exitCode == 0)
        #expect(try await f.k("get", "svc", "s1", "-o", "jsonpath={.spec.ports[*].port} {.spec.ports[1].targetPort}").stdout == "80 9090 9091")
        #expect(try await f.k("patch", "svc", "s1", "--type=merge", "-p", #"{"metadata":{"labels":{"team":"obs"}}}"#).exitCode == 0)
        #expect(try await f.k("label", "svc", "s1", "tier=web").exitCode == 0)
        #expect(try await f.k("label", "svc", "s1", "tier=db").stderr.contains("already has a value"))
        #expect(try await f.k("annotate", "svc", "s1", "note=hello").exitCode == 0)
        #expect(try await f.k("get", "svc", "-l", "team=obs,tier=web", "-o", "jsonpath={.items[0].metadata.annotations.note}").stdout == "hello")
        let failedTest = try await f.k("patch", "svc", "s1", "--type=json", "-p", #"[{"op":"test","path":"/spec/type","value":"NodePort"}]"#)
        #expect(failedTest.exitCode != 0)
    }

    @Test func nodePortAllocationAndAdmission() async throws {
        let f = try APIFixture(); defer { f.stop() }
        _ = try await f.k("create", "-f", "-", stdin: Self.service("  - {name: http, port: 80, targetPort: 8080}"))
        #expect(try await f.k("patch", "svc", "s1", "--type=merge", "-p", #"{"spec":{"type":"NodePort"}}"#).exitCode == 0)
        let np = Int(try await f.k("get", "svc", "s1", "-o", "jsonpath={.spec.ports[0].nodePort}").stdout) ?? 0
        #expect((30000...32767).contains(np))
        let range = try await f.k("patch", "svc", "s1", "--type=json", "-p", #"[{"op":"replace","path":"/spec/ports/0/nodePort","value":70000}]"#)
        #expect(range.stderr.contains(#"The Service "s1" is invalid: spec.ports[0].nodePort: Invalid value: 70000: provided port is not in the valid range. The range of valid ports is 30000-32767"#), "\(range)")
        let taken = try await f.k("patch", "svc", "s1", "--type=json", "-p", #"[{"op":"replace","path":"/spec/ports/0/nodePort","value":31380}]"#)
        #expect(taken.stderr.contains("spec.ports[0].nodePort: Invalid value: 31380: provided port is already allocated"), "\(taken)")
        let dup = try await f.k("patch", "svc", "s1", "--type=json", "-p", #"[{"op":"add","path":"/spec/ports/-","value":{"name":"dup","port":80}}]"#)
        #expect(dup.stderr.contains("spec.ports[1]: Duplicate value"), "\(dup)")
        #expect(try await f.k("patch", "svc", "s1", "--type=merge", "-p", #"{"spec":{"type":"ClusterIP"}}"#).exitCode == 0)
        #expect(try await f.k("get", "svc", "s1", "-o", "jsonpath={.spec.ports[0].nodePort}").stdout == "")
    }

    /// loadBalancerSourceRanges: only on a LoadBalancer Service, and only CIDRs, in the real server's words (its
    /// field path keeps a historical capital L); the Service is left as it was.
    @Test func loadBalancerSourceRangesAreValidated() async throws {
        let f = try APIFixture(); defer { f.stop() }
        let svc = "apiVersion: v1\nkind: Service\nmetadata: {name: lb1, namespace: default}\n"
            + "spec:\n  type: LoadBalancer\n  selector: {app: s1}\n  ports: [{port: 80}]\n"
        #expect(try await f.k("create", "-f", "-", stdin: svc).exitCode == 0)
        let bad = try await f.k("patch", "svc", "lb1", "--type=merge", "-p", #"{"spec":{"loadBalancerSourceRanges":["not-a-cidr"," 10.0.0.0/8 ","192.0.2.7"]}}"#)
        #expect(bad.exitCode != 0)
        #expect(bad.stderr.contains(#"spec.LoadBalancerSourceRanges[0]: Invalid value: "not-a-cidr": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"#), "\(bad)")
        #expect(bad.stderr.contains(#"spec.LoadBalancerSourceRanges[2]: Invalid value: "192.0.2.7""#), "a bare address is no CIDR: \(bad)")
        #expect(!bad.stderr.contains("[1]"), "space-padded CIDRs are accepted: \(bad)")
        #expect(try await f.k("patch", "svc", "lb1", "--type=merge", "-p", #"{"spec":{"loadBalancerSourceRanges":["192.0.2.7/32"]}}"#).exitCode == 0)
        let nodePort = try await f.k("patch", "svc", "lb1", "--type=merge", "-p", #"{"spec":{"type":"NodePort"}}"#)
        #expect(nodePort.stderr.contains("spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'"), "\(nodePort)")
        #expect(try await f.k("get", "svc", "lb1", "-o", "jsonpath={.spec.type}").stdout == "LoadBalancer")
    }

    /// A headless Service (the operator's `prometheus-operated`) cannot become NodePort or LoadBalancer, by
    /// patch or by create, with the real server's words; it stays as it was.
    @Test func headlessServicesRefuseNodePortAndLoadBalancer() async throws {
        let f = try APIFixture(); defer { f.stop() }
        let headless = "apiVersion: v1\nkind: Service\nmetadata: {name: prometheus-operated, namespace: default}\n"
            + "spec:\n  clusterIP: None\n  selector: {app: s1}\n  ports: [{name: web, port: 9090, targetPort: web}]\n"
        #expect(try await f.k("create", "-f", "-", stdin: headless).exitCode == 0)
        for type in ["NodePort", "LoadBalancer"] {
            let r = try await f.k("patch", "svc", "prometheus-operated", "--type=merge", "-p", #"{"spec":{"type":"\#(type)"}}"#)
            #expect(r.exitCode != 0)
            #expect(r.stderr.contains(#"The Service "prometheus-operated" is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for \#(type) services"#), "\(r)")
        }
        #expect(try await f.k("get", "svc", "prometheus-operated", "-o", "jsonpath={.spec.type} {.spec.clusterIP} {.spec.ports[0].nodePort}").stdout == "ClusterIP None ")
        let created = try await f.k("create", "-f", "-", stdin: headless.replacingOccurrences(of: "prometheus-operated", with: "p2")
            .replacingOccurrences(of: "clusterIP: None", with: "clusterIP: None\n  type: NodePort"))
        #expect(created.stderr.contains("may not be set to 'None' for NodePort services"), "\(created)")
    }

    /// A real API server defaults a Secret's type to Opaque and folds write-only stringData into base64 data.
    @Test func secretsAreDefaultedLikeARealServer() async throws {
        let f = try APIFixture(); defer { f.stop() }
        let yaml = "apiVersion: v1\nkind: Secret\nmetadata: {name: auth, namespace: default}\nstringData: {user: ops}\n"
        #expect(try await f.k("create", "-f", "-", stdin: yaml).exitCode == 0)
        let typed = "apiVersion: v1\nkind: Secret\nmetadata: {name: tls, namespace: default}\ntype: kubernetes.io/basic-auth\nstringData: {username: a, password: b}\n"
        #expect(try await f.k("create", "-f", "-", stdin: typed).exitCode == 0)
        let got = try await f.k("get", "secret", "auth", "tls", "-o", "jsonpath={range .items[*]}{.type} {.data} {.stringData}|{end}")
        #expect(got.stdout == #"Opaque {"user":"b3Bz"} |kubernetes.io/basic-auth {"password":"Yg==","username":"YQ=="} |"#, "\(got)")
    }

    @Test func statusThroughTheMainResourceIsDropped() async throws {
        let f = try APIFixture(); defer { f.stop() }
        let r = try await f.k("-n", "istio-system", "patch", "svc", "istio-ingressgateway", "--type=merge",
                        "-p", #"{"status":{"loadBalancer":{"ingress":[{"ip":"127.0.0.99"}]}}}"#)
        #expect(r.exitCode == 0, "\(r)")
        #expect(try await f.k("-n", "istio-system", "get", "svc", "istio-ingressgateway", "-o", "jsonpath={.status.loadBalancer.ingress}").stdout == "")
        let sub = try await f.k("-n", "istio-system", "patch", "svc", "istio-ingressgateway", "--subresource=status", "--type=merge",
                          "-p", #"{"status":{"loadBalancer":{"ingress":[{"ip":"127.0.0.99"}]}}}"#)
        #expect(sub.exitCode == 0, "\(sub)")
        #expect(try await f.k("-n", "istio-system", "get", "svc", "istio-ingressgateway", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}").stdout == "127.0.0.99")
    }

    @Test func serverSideApplyAndDryRun() async throws {
        let f = try APIFixture(); defer { f.stop() }
        func cm(_ v: String) -> String { "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm2, namespace: default}\ndata: {k: \(v)}\n" }
        #expect(try await f.k("apply", "--server-side", "-f", "-", stdin: cm("v1")).stdout == "configmap/cm2 serverside-applied\n")
        #expect(try await f.k("apply", "--server-side", "-f", "-", stdin: cm("v2")).exitCode == 0)
        let before = f.lab.requestLog.writes.count
        #expect(try await f.k("apply", "--dry-run=server", "-f", "-", stdin: cm("v3")).stdout.contains("(server dry run)"))
        #expect(try await f.k("get", "cm", "cm2", "-o", "jsonpath={.data.k}").stdout == "v2")
        #expect(f.lab.requestLog.writes.count == before)
        #expect(f.lab.requestLog.entries.contains { $0.isDryRun && $0.method == "PATCH" })
        let diff = try await f.k("diff", "-f", "-", stdin: cm("v4"))
        #expect(diff.exitCode == 1 && diff.stdout.contains("+  k: v4"), "\(diff)")
    }

    @Test func customResourcesAcceptMergeNotStrategic() async throws {
        let f = try APIFixture(); defer { f.stop() }
        let gw = "gateways.v1alpha3.networking.istio.io"
        #expect(try await f.k("patch", gw, "bookinfo-gateway", "--type=merge", "-p", #"{"spec":{"selector":{"istio":"ingress"}}}"#).exitCode == 0)
        let smp = try await f.k("patch", gw, "bookinfo-gateway", "-p", #"{"spec":{"selector":{"istio":"x"}}}"#)
        #expect(smp.exitCode != 0 && smp.stderr.contains("not supported"), "\(smp)")
    }

    @Test func deleteWaitsUntilGoneAndWatchSeesChanges() async throws {
        let f = try APIFixture(); defer { f.stop() }
        _ = try await f.k("create", "configmap", "gone", "--from-literal=a=b")
        let d = try await f.k("delete", "configmap", "gone")
        #expect(d.stdout == "configmap \"gone\" deleted\n", "\(d)")
        #expect(try await f.k("get", "configmap", "gone").stderr.contains("NotFound"))
        let w = try await f.k("-n", "istio-system", "wait", "--for=jsonpath={.spec.type}=LoadBalancer", "svc/istio-ingressgateway", "--timeout=5s")
        #expect(w.exitCode == 0, "\(w)")
        let ns = try await f.k("delete", "ns", "istio-system")
        #expect(ns.exitCode == 0, "\(ns)")
        #expect(try await f.k("get", "svc", "-A", "-o", "name").stdout == "service/kubernetes\n")
    }

    @Test func protobufCreatesFromTypedGenerators() async throws {
        let f = try APIFixture(); defer { f.stop() }
        #expect(try await f.k("create", "namespace", "pb").stdout == "namespace/pb created\n")
        #expect(try await f.k("-n", "pb", "create", "configmap", "c", "--from-literal=a=b", "--from-literal=c=d").exitCode == 0)
        #expect(try await f.k("-n", "pb", "create", "secret", "generic", "s", "--from-literal=p=q").exitCode == 0)
        let svc = try await f.k("-n", "pb", "create", "service", "nodeport", "np", "--tcp=82:8082", "--node-port=30082")
        #expect(svc.exitCode == 0, "\(svc)")
        #expect(try await f.k("-n", "pb", "get", "cm", "c", "-o", "jsonpath={.data.a}{.data.c}").stdout == "bd")
        #expect(try await f.k("-n", "pb", "get", "secret", "s", "-o", "jsonpath={.data.p}").stdout == "cQ==")
        #expect(try await f.k("-n", "pb", "get", "svc", "np", "-o", "jsonpath={.spec.type} {.spec.ports[0].nodePort} {.spec.ports[0].targetPort}").stdout == "NodePort 30082 8082")
        let clash = try await f.k("-n", "pb", "create", "service", "nodeport", "np2", "--tcp=83:8083", "--node-port=30082")
        #expect(clash.stderr.contains("provided port is already allocated"), "\(clash)")
        #expect(f.lab.requestLog.entries.contains { $0.contentType.hasPrefix("application/vnd.kubernetes.protobuf") && $0.status == 201 })
        let ing = try await f.k("-n", "pb", "create", "ingress", "prom", "--class=nginx", "--rule=prom.example.com/*=np:82")
        #expect(ing.exitCode == 0, "\(ing)")
        #expect(try await f.k("-n", "pb", "get", "ing", "prom", "-o", "jsonpath={.spec}").stdout
            == #"{"ingressClassName":"nginx","rules":[{"host":"prom.example.com","http":{"paths":[{"backend":{"service":{"name":"np","port":{"number":82}}},"path":"/","pathType":"Prefix"}]}}]}"#)
    }

    @Test func replaceWithAStaleResourceVersionConflicts() async throws {
        let f = try APIFixture(); defer { f.stop() }
        _ = try await f.k("create", "configmap", "r", "--from-literal=a=1")
        let stale = try await f.k("get", "configmap", "r", "-o", "json").stdout
        #expect(try await f.k("replace", "-f", "-", stdin: stale.replacingOccurrences(of: "\"a\": \"1\"", with: "\"a\": \"2\"")).exitCode == 0)
        let conflict = try await f.k("replace", "-f", "-", stdin: stale.replacingOccurrences(of: "\"a\": \"1\"", with: "\"a\": \"3\""))
        #expect(conflict.stderr.contains(#"Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on configmaps "r": the object has been modified"#), "\(conflict)")
        #expect(try await f.k("get", "configmap", "r", "-o", "jsonpath={.data.a}").stdout == "2")
    }

    /// Server-side apply over fields another manager set conflicts, as on a real server, unless forced.
    @Test func serverSideApplyConflictsWithOtherManagers() async throws {
        let f = try APIFixture(); defer { f.stop() }
        let svc = """
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus, namespace: istio-system}
        spec:
          ports: [{name: http-prometheus, port: 9090, targetPort: 9091}]
        """
        let r = try await f.k("apply", "--server-side", "-f", "-", stdin: svc)
        #expect(r.exitCode == 1)
        #expect(r.stderr.contains(#"Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .spec.ports[port=9090,protocol="TCP"].targetPort"#), "\(r)")
        #expect(try await f.k("apply", "--server-side", "--force-conflicts", "-f", "-", stdin: svc).exitCode == 0)
        #expect(try await f.k("-n", "istio-system", "get", "svc", "prometheus", "-o", "jsonpath={.spec.ports[0].targetPort}").stdout == "9091")
        // Same values co-own without conflict; the forced manager now owns the field.
        #expect(try await f.k("apply", "--server-side", "--field-manager=other", "-f", "-", stdin: svc).exitCode == 0)
        let patched = try await f.k("-n", "istio-system", "patch", "svc", "prometheus", "--type=merge", "-p", #"{"spec":{"selector":{"app":"p2"}}}"#)
        #expect(patched.exitCode == 0)
        let back = svc.replacingOccurrences(of: "ports:", with: "selector: {app: prometheus}\n  ports:")
        #expect(try await f.k("apply", "--server-side", "-f", "-", stdin: back).stderr.contains(#"conflict with "kubectl-patch" using v1: .spec.selector.app"#))
    }

    /// What a manager applied before and leaves out of its next apply is removed, unless someone else set it.
    @Test func serverSideApplyRemovesWhatItStopsApplying() async throws {
        let f = try APIFixture(); defer { f.stop() }
        func apply(_ labels: String, _ ports: String) async throws -> CommandOutcome {
            try await f.k("apply", "--server-side", "-f", "-",
                    stdin: "apiVersion: v1\nkind: Service\nmetadata: {name: ss, labels: {\(labels)}}\nspec:\n  ports: [\(ports)]\n")
        }
        #expect(try await apply("a: x, b: w", "{name: a, port: 80}, {name: b, port: 81}").exitCode == 0)
        #expect(try await f.k("label", "svc", "ss", "c=z").exitCode == 0)
        #expect(try await apply("a: x", "{name: b, port: 81}").exitCode == 0)
        #expect(try await f.k("get", "svc", "ss", "-o", "jsonpath={.spec.ports[*].port} {.metadata.labels}").stdout == #"81 {"a":"x","c":"z"}"#)
    }

    /// apps/v1 is served (stored, shown, scaled, patched); no controller makes pods from it.
    @Test func deploymentsCreateScalePatch() async throws {
        let f = try APIFixture(); defer { f.stop() }
        #expect(try await f.k("create", "deployment", "web", "--image=nginx", "--port=8080").stdout == "deployment.apps/web created\n")
        #expect(try await f.k("scale", "deploy", "web", "--replicas=3").stdout == "deployment.apps/web scaled\n")
        #expect(try await f.k("set", "image", "deploy/web", "nginx=nginx:1.27").exitCode == 0)
        #expect(try await f.k("get", "deploy", "web", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort}").stdout
            == "3 nginx:1.27 8080")
        let table = try await f.k("get", "deploy")
        #expect(table.stdout.hasPrefix("NAME   READY   UP-TO-DATE   AVAILABLE   AGE"), "\(table)")
        #expect(table.stdout.contains("web    0/3"))
    }

    /// Unknown fields: strict for create/apply (kubectl's default), dropped with a warning for patch.
    @Test func unknownFieldsAreRefusedOrDroppedLikeARealServer() async throws {
        let f = try APIFixture(); defer { f.stop() }
        let typo = Self.service("  - {name: http, port: 80, targetport: 8080}")
        let strict = try await f.k("apply", "-f", "-", stdin: typo)
        #expect(strict.stderr.contains(#"Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.ports[0].targetport""#), "\(strict)")
        #expect(try await f.k("apply", "--validate=false", "-f", "-", stdin: typo).exitCode == 0)
        #expect(try await f.k("get", "svc", "s1", "-o", "jsonpath={.spec.ports[0]}").stdout == #"{"name":"http","port":80,"protocol":"TCP","targetPort":80}"#)
        let patch = try await f.k("patch", "svc", "s1", "--type=merge", "-p", #"{"spec":{"ports":[{"port":9090,"nodeport":31399}]}}"#)
        #expect(patch.stderr.contains(#"Warning: unknown field "spec.ports[0].nodeport""#), "\(patch)")
        #expect(try await f.k("get", "svc", "s1", "-o", "jsonpath={.spec.ports[0]}").stdout == #"{"port":9090,"protocol":"TCP","targetPort":9090}"#)
    }

    /// Concurrent creates never get the same nodePort (writes are serialized like etcd transactions).
    @Test func concurrentCreatesAllocateDistinctNodePorts() async throws {
        let f = try APIFixture(); defer { f.stop() }
        let port = UInt16(f.lab.apiURL.split(separator: ":").last!)!
        let nodePorts = Locked<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 24) { i in
            let body = #"{"apiVersion":"v1","kind":"Service","metadata":{"name":"c\#(i)"},"spec":{"type":"NodePort","ports":[{"port":80}]}}"#
            var req = HTTPRequest(method: "POST", target: "/api/v1/namespaces/default/services", body: Array(body.utf8))
            req.headers.add("Content-Type", "application/json")
            guard let r = try? HTTPClient.send(req, host: "127.0.0.1", port: port, connectTimeout: 2, timeout: 10),
                  let np = (try? JSONValue.parse(Data(r.body)))?["spec"]?["ports"]?[0]?["nodePort"]?.intValue else { return }
            nodePorts.mutate { $0.append(np) }
        }
        #expect(nodePorts.value.count == 24)
        #expect(Set(nodePorts.value).count == 24)
    }

    /// A value of the wrong type is the decoder's 400, in Go's words (the YAML `inject: false` trap).
    @Test func wrongValueTypesAreRefused() async throws {
        let f = try APIFixture(); defer { f.stop() }
        let bool = try await f.k("-n", "istio-system", "patch", "svc", "prometheus", "--type=merge", "-p", #"{"metadata":{"annotations":{"sidecar.istio.io/inject":false}}}"#)
        #expect(bool.stderr.contains(#"Service in version "v1" cannot be handled as a Service: json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.annotations of type string"#), "\(bool)")
        let port = try await f.k("-n", "istio-system", "patch", "svc", "prometheus", "--type=json", "-p", #"[{"op":"replace","path":"/spec/ports/0/port","value":"9091"}]"#)
        #expect(port.stderr.contains("cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32"), "\(port)")
        #expect(try await f.k("-n", "istio-system", "patch", "svc", "prometheus", "--type=merge", "-p", #"{"metadata":{"annotations":{"sidecar.istio.io/inject":"false"}}}"#).exitCode == 0)
    }
}
