import Foundation
import Testing
import PortholeFindings
import PortholeKube
import PortholeNet
@testable import PortholeCore
import PortholeTestSupport

/// Decodes the probes of a one-step playbook written in YAML, so each example is what an author writes.
func probes(_ yaml: String) throws -> [Probe] {
    let text = "id: t\ntitle: T\ninputs: {port: {default: \"1\"}, host: {default: 127.0.0.1}}\nsteps:\n  - id: s\n    title: S\n    probes:\n"
        + yaml.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n")
        + "\n    outcomes: [{verdict: pass}]\n"
    return try PlaybookLoader(knownPlaybooks: nil).load(text: text, file: "t.yaml").steps[0].probes
}

/// What `kubectl get --raw /apis` prints: the served groups and versions (no metallb.io here).
let groupList = """
{"kind": "APIGroupList", "apiVersion": "v1", "groups": [
  {"name": "networking.istio.io", "versions": [{"groupVersion": "networking.istio.io/v1beta1", "version": "v1beta1"}],
   "preferredVersion": {"groupVersion": "networking.istio.io/v1beta1", "version": "v1beta1"}}
]}
"""

let apiResourcesTable = """
NAME                SHORTNAMES   APIVERSION                     NAMESPACED   KIND
configmaps          cm           v1                             true         ConfigMap
nodes               no           v1                             false        Node
services            svc          v1                             true         Service
gateways            gw           networking.istio.io/v1beta1    true         Gateway
virtualservices     vs           networking.istio.io/v1beta1    true         VirtualService

"""

let serviceList = """
{"apiVersion": "v1", "kind": "List", "items": [
 {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "istio-ingressgateway", "namespace": "istio-system", "labels": {"istio": "ingressgateway"}},
  "spec": {"type": "LoadBalancer", "ports": [{"port": 9090, "nodePort": 31399}]}},
 {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "prometheus", "namespace": "istio-system"}, "spec": {"type": "ClusterIP"}},
 {"apiVersion": "networking.istio.io/v1beta1", "kind": "Gateway", "metadata": {"name": "prometheus-gateway", "namespace": "istio-system"}}
]}
"""

struct RaisingChecks: FindingCheckRunner {
    var resources: [String] { ["services"] }
    func check(snapshot: ObjectSnapshot, namespace: String?, observations: [OutsideObservation]) -> [RaisedFinding] {
        snapshot.allObjects.filter { $0["spec"]?["type"]?.stringValue == "ClusterIP" }.map {
            RaisedFinding(code: "PH0101", level: .warn, message: "ClusterIP only", object: "Service/\($0["metadata"]!["name"]!.plainText)")
        }
    }
}

func probeEnvironment(_ t: TestContext, resources: [String], checks: FindingCheckRunner? = nil) -> ProbeEnvironment {
    let kubectl = Kubectl(options: KubeOptions(kubeconfig: "/k"), context: t.context)
    return ProbeEnvironment(context: t.context, kubectl: kubectl, snapshots: SnapshotSource(kubectl: kubectl, resources: resources, timeout: 5),
                            findings: FindingsService(catalog: CodeFormatCatalog(), checks: checks))
}

@Suite struct ProbeTests {
    @Test func tcpConnectsRefusesAndTimesOut() async throws {
        let open = try TCPListener(host: "127.0.0.1", port: 0)
        defer { open.close() }
        let (hole, filler) = try TCPListener.blackhole(host: "127.0.0.1", port: 0)
        defer { hole.close(); filler.close() }
        let closed = try TCPListener(host: "127.0.0.1", port: 0)
        let closedPort = closed.port
        closed.close()
        // `$${nope}` is the escape: the port is the literal text `${nope}`, which is no port number.
        let ps = try probes("""
        - {id: open, tcp: {host: "${host}", port: \(open.port)}}
        - {id: refused, tcp: {host: 127.0.0.1, port: \(closedPort)}}
        - {id: dropped, timeout: 300ms, tcp: {host: 127.0.0.1, port: \(hole.port)}}
        - {id: unset, tcp: {host: 127.0.0.1, port: "$${nope}"}}
        """)
        let t = TestContext()
        let env = probeEnvironment(t, resources: [])
        let rs = try await ProbeRunner.runAll(ps, variables: ["host": "127.0.0.1"], in: env)
        #expect(rs[0].document["connected"] == true)
        #expect(rs[1].document["error"] == "refused")
        #expect(rs[2].document["error"] == "timeout")
        // The probe's 300 ms, not the kernel's minutes-long SYN retries (the margin absorbs a loaded machine).
        #expect(rs[2].duration < 10, "\(rs[2].duration)")
        #expect(rs[3].status == "bad port")
    }

    @Test func tcpWithUnsetVariableIsSkipped() async throws {
        let p = Probe(id: "x", timeout: 1, kind: .tcp(host: "127.0.0.1", port: "${nodePort}"))
        let r = try await ProbeRunner.run(p, variables: [:], in: probeEnvironment(TestContext(), resources: []))
        #expect(r.skipped == "variable nodePort is not set")
        #expect(r.document == ["skipped": "variable nodePort is not set"])
    }

    @Test func httpStatusHeadersBodyAndFailureKinds() async throws {
        let server = try HTTPServer(host: "127.0.0.1", port: 0) { req, _ in
            switch req.path {
            case "/-/ready": return .respond(HTTPResponse(status: 200, contentType: "text/plain", body: "Prometheus Server is Ready.\n",
                                                          headers: [("Server", "istio-envoy"), ("X-Host", req.headers["Host"] ?? "")]))
            case "/reset": return .reset
            case "/close": return .close
            default: return .respond(HTTPResponse(status: 404, contentType: "text/plain", body: "no route"))
            }
        }
        server.start()
        defer { server.stop() }
        let (hole, filler) = try TCPListener.blackhole(host: "127.0.0.1", port: 0)
        defer { hole.close(); filler.close() }
        let base = "http://127.0.0.1:\(server.port)"
        let ps = try probes("""
        - {id: ready, http: {url: "\(base)/-/ready", host: prometheus.example, headers: {X-Probe: "${port}"}}}
        - {id: missing, http: {url: "\(base)/graph"}}
        - {id: reset, http: {url: "\(base)/reset"}}
        - {id: closed, http: {url: "\(base)/close"}}
        - {id: dropped, timeout: 20s, http: {url: "http://127.0.0.1:\(hole.port)/", connectTimeout: 300ms}}
        """)
        let rs = try await ProbeRunner.runAll(ps, variables: ["port": "9090", "host": "127.0.0.1"], in: probeEnvironment(TestContext(), resources: []))
        #expect(rs[0].document["status"] == 200)
        #expect(rs[0].document["headers"]?["server"] == "istio-envoy")
        #expect(rs[0].document["headers"]?["x-host"] == "prometheus.example")
        #expect(rs[0].document["body"]?.stringValue?.contains("Ready") == true)
        #expect(rs[0].target == "GET \(base)/-/ready (Host: prometheus.example)")
        #expect(rs[1].document["status"] == 404)
        #expect(rs[2].document["error"] == "reset")
        #expect(rs[3].document["error"] == "closed")
        #expect(rs[4].document["error"] == "timeout")
        // The 300 ms connect timeout ends it, not the probe's 20 s (the margin absorbs a loaded machine).
        #expect(rs[4].duration < 10, "\(rs[4].duration)")
        #expect(rs[4].document["status"] == nil)
    }

    @Test func objectProbesShareOneBatchedRead() async throws {
        let t = TestContext()
        t.commands.on(["kubectl", "--kubeconfig", "/k", "get", "--raw", "/apis", "--request-timeout=5s"], stdout: groupList, times: 1)
        t.commands.on(["kubectl", "--kubeconfig", "/k", "get", "services,gateways.v1beta1.networking.istio.io", "-A", "-o", "json", "--request-timeout=5s"],
                      stdout: serviceList, times: 1)
        let ps = try probes("""
        - id: gw
          object: {resource: services, namespace: istio-system, name: istio-ingressgateway}
        - id: missing
          object: {resource: services, namespace: "${host}", name: prometheus}
        - id: bylabel
          object: {resource: services, selector: istio=ingressgateway}
        - id: gateways
          object: {resource: gateways.networking.istio.io}
        - id: pools
          object: {resource: ipaddresspools.metallb.io}
        """)
        let env = probeEnvironment(t, resources: ["services", "gateways.networking.istio.io", "ipaddresspools.metallb.io"])
        let rs = try await ProbeRunner.runAll(ps, variables: ["host": "default"], in: env)
        #expect(rs[0].document["found"] == true)
        #expect(rs[0].document["object"]?["spec"]?["ports"]?[0]?["nodePort"] == 31399)
        #expect(rs[1].document == ["found": false])
        #expect(rs[2].document["count"] == 1)
        #expect(rs[3].document["count"] == 1)
        #expect(rs[4].document == ["error": "the cluster does not serve ipaddresspools.metallb.io"])
        #expect(await env.snapshots.passes == 1)
        #expect(t.commands.commands.count == 2)
    }

    /// A resource outside porthole's known kinds needs the full discovery walk (`kubectl api-resources`).
    @Test func unknownResourcesFallBackToTheFullDiscovery() async throws {
        let t = TestContext()
        t.commands.on(["kubectl", "--kubeconfig", "/k", "api-resources", "--request-timeout=5s"], stdout: apiResourcesTable, times: 1)
        t.commands.on(["kubectl", "--kubeconfig", "/k", "get", "services", "-A", "-o", "json", "--request-timeout=5s"], stdout: serviceList, times: 1)
        let ps = try probes("- {id: w, object: {resource: widgets.example.com}}")
        let env = probeEnvironment(t, resources: ["services", "widgets.example.com"])
        let r = try await ProbeRunner.run(ps[0], variables: [:], in: env)
        #expect(r.document == ["error": "the cluster does not serve widgets.example.com"])
        #expect(t.commands.commands.count == 2)
    }

    /// The group list names the served version of each known kind: the batch asks exactly for those.
    @Test func servedVersionsComeFromTheGroupList() throws {
        let served = try #require(KnownResources.served(groupList: try JSONValue.parse(groupList)))
        #expect(served.resolve("gateways.networking.istio.io")?.qualifiedName == "gateways.v1beta1.networking.istio.io")
        #expect(served.resolve("services")?.qualifiedName == "services")
        #expect(served.resolve("ipaddresspools.metallb.io") == nil)
        #expect(KnownResources.covers(["services", "gateways.networking.istio.io"]))
        #expect(!KnownResources.covers(["widgets.example.com"]))
    }

    @Test func findingsProbeRunsChecksOverTheSnapshot() async throws {
        let t = TestContext()
        t.commands.on(["kubectl", "--kubeconfig", "/k", "get", "--raw", "/apis", "--request-timeout=5s"], stdout: groupList)
        t.commands.on(["kubectl", "--kubeconfig", "/k", "get", "services", "-A", "-o", "json", "--request-timeout=5s"], stdout: serviceList)
        let ps = try probes("- {id: f, findings: {codes: [PH0101, PH0999]}}")
        let r = try await ProbeRunner.run(ps[0], variables: [:], in: probeEnvironment(t, resources: ["services"], checks: RaisingChecks()))
        #expect(r.document["raised"] == ["PH0101"])
        #expect(r.document["findings"]?[0]?["object"] == "Service/prometheus")
    }

    /// Raises PH0106 for each outside observation it is given, naming its target and result.
    struct ObservationEcho: FindingCheckRunner {
        var resources: [String] { ["services"] }
        func check(snapshot: ObjectSnapshot, namespace: String?, observations: [OutsideObservation]) -> [RaisedFinding] {
            observations.map { RaisedFinding(code: "PH0106", level: .warn, message: "\($0.target) \($0.resultText)", object: "") }
        }
    }

    @Test func findingsProbeJudgesWhatTheStepsOutsideProbesSaw() async throws {
        let t = TestContext()
        t.commands.on(["kubectl", "--kubeconfig", "/k", "get", "--raw", "/apis", "--request-timeout=5s"], stdout: groupList)
        t.commands.on(["kubectl", "--kubeconfig", "/k", "get", "services", "-A", "-o", "json", "--request-timeout=5s"], stdout: serviceList)
        let closed = try TCPListener(host: "127.0.0.1", port: 0)
        let port = closed.port
        closed.close()
        // The findings probe is listed first, yet it runs after the tcp probe and judges what that saw.
        let ps = try probes("""
        - {id: f, findings: {codes: [PH0106]}}
        - {id: knock, tcp: {host: 127.0.0.1, port: \(port)}}
        """)
        let env = probeEnvironment(t, resources: ["services"], checks: ObservationEcho())
        let rs = try await ProbeRunner.runAll(ps, variables: [:], in: env)
        #expect(rs.map(\.probe) == ["f", "knock"])
        #expect(rs[1].document["error"] == "refused")
        #expect(rs[0].document["findings"]?[0]?["message"] == .string("127.0.0.1:\(port) refused"))
        // Alone, a findings probe sees no observation: none from an earlier run is carried over.
        let alone = try await ProbeRunner.runAll([ps[0]], variables: [:], in: env)
        #expect(alone[0].document["raised"] == [])
    }

    @Test func kubectlProbeParsesJSONAndNamesTheCommandWhenItIsNot() async throws {
        let t = TestContext()
        t.commands.on(["kubectl", "--kubeconfig", "/k", "version", "-o", "json"], stdout: "{\"serverVersion\": {\"minor\": \"32\"}}")
        t.commands.on(["kubectl", "--kubeconfig", "/k", "get", "svc", "-o", "json"], stdout: "NAME   TYPE\n")
        let ps = try probes("""
        - {id: v, kubectl: {args: [version, -o, json], json: true}}
        - {id: bad, kubectl: {args: [get, svc, -o, json], json: true}}
        """)
        let rs = try await ProbeRunner.runAll(ps, variables: [:], in: probeEnvironment(t, resources: []))
        #expect(rs[0].document["json"]?["serverVersion"]?["minor"] == "32")
        #expect(rs[0].command == ["kubectl", "--kubeconfig", "/k", "version", "-o", "json"])
        #expect(rs[1].document["jsonError"]?.stringValue?.hasPrefix("`kubectl --kubeconfig /k get svc -o json` printed output that is not JSON") == true)
        #expect(rs[1].status == "output is not JSON")
    }

    @Test func unreachableClusterIsAnEnvironmentErrorNamingTheServer() async throws {
        let t = TestContext()
        t.commands.on(["kubectl", "--kubeconfig", "/k", "get", "--raw", "/apis", "--request-timeout=5s"], exitCode: 1,
                      stderr: "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n")
        let ps = try probes("- {id: gw, object: {resource: services}}")
        await #expect(throws: EnvironmentError.clusterUnreachable(server: "127.0.0.1:1", detail: "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?")) {
            _ = try await ProbeRunner.run(ps[0], variables: [:], in: probeEnvironment(t, resources: ["services"]))
        }
    }
}

/// Answers like the scripted runner, after a pause: concurrent probes really overlap.
struct SlowRunner: CommandRunner {
    let inner: ScriptedCommandRunner
    func run(_ command: Command) async throws -> CommandResult {
        try await Task.sleep(nanoseconds: 50_000_000)
        return try await inner.run(command)
    }
}

@Suite struct SnapshotConcurrencyTests {
    @Test func concurrentObjectProbesShareOneRead() async throws {
        var t = TestContext()
        t.commands.on(["kubectl", "get", "--raw", "/apis", "--request-timeout=5s"], stdout: groupList, times: 1)
        t.commands.on(["kubectl", "get", "services", "-A", "-o", "json", "--request-timeout=5s"], stdout: serviceList, times: 1)
        t.context.commands = SlowRunner(inner: t.commands)
        let kubectl = Kubectl(options: KubeOptions(), context: t.context)
        let env = ProbeEnvironment(context: t.context, kubectl: kubectl, snapshots: SnapshotSource(kubectl: kubectl, resources: ["services"], timeout: 5),
                                   findings: .unwired)
        let ps = (0..<6).map { Probe(id: "p\($0)", timeout: 5, kind: .object(ObjectQuery(resource: "services"))) }
        let rs = try await ProbeRunner.runAll(ps, variables: [:], in: env)
        #expect(rs.allSatisfy { $0.document["count"] == 2 })
        #expect(await env.snapshots.passes == 1)
    }
}

@Suite struct TLSProbeTests {
    @Test func httpsToAPlainServerIsATLSError() async throws {
        // Answers the ClientHello with plain text, as a plain HTTP port behind a wrong https:// URL would.
        let server = try TCPListener(host: "127.0.0.1", port: 0)
        server.serve { c in
            _ = try? c.read(timeout: 2)
            try? c.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            c.close()
        }
        defer { server.close() }
        let r = await SocketNetworkProber().httpExchange(HTTPExchangeRequest(url: "https://127.0.0.1:\(server.port)/", connectTimeout: 1, timeout: 2))
        guard case .failure(let f) = r else { Issue.record("expected a failure, got \(r)"); return }
        #expect(f.kind == .tls, "\(f) \(f.detail)")
    }
}
