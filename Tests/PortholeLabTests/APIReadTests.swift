import Foundation
import PortholeKube
import Testing
@testable import PortholeLab

/// Discovery and reads through the real kubectl.
@Suite(.serialized) struct APIReadTests {
    @Test func versionAndAPIResources() async throws {
        let f = try APIFixture(); defer { f.stop() }
        let v = try await f.k("version", "-o", "json")
        #expect(v.exitCode == 0, "\(v)")
        #expect(try JSONValue.parse(v.stdout)["serverVersion"]?["minor"] == "32")
        let r = try await f.k("api-resources")
        #expect(r.stdout.split(separator: "\n").contains { $0.range(of: #"^services +svc +v1 +true +Service$"#, options: .regularExpression) != nil })
        #expect(r.stdout.contains("networking.istio.io/v1alpha3"))
        // MetalLB 0.12 has no CRDs; no Gateway API in this scenario.
        #expect(!r.stdout.contains("metallb.io"))
        #expect(!r.stdout.contains("gateway.networking.k8s.io"))
    }

    @Test func serviceTableHasTheRealColumns() async throws {
        let f = try APIFixture(); defer { f.stop() }
        let r = try await f.k("-n", "istio-system", "get", "svc")
        #expect(r.exitCode == 0, "\(r)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true) == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"])
        let gw = try #require(lines.first { $0.hasPrefix("istio-ingressgateway") })
        #expect(gw.contains("<pending>"))
        #expect(gw.contains("15020:30937/TCP,80:31380/TCP,443:31390/TCP"))
        let prom = try #require(lines.first { $0.hasPrefix("prometheus") })
        #expect(prom.contains("<none>") && prom.contains("9090/TCP"))
        let wide = try await f.k("-n", "istio-system", "get", "svc", "-o", "wide")
        #expect(wide.stdout.contains("SELECTOR") && wide.stdout.contains("app=prometheus"))
    }

    @Test func allNamespacesPodsAndNamespacesTables() async throws {
        let f = try APIFixture(); defer { f.stop() }
        let pods = try await f.k("get", "pods", "-A")
        #expect(pods.stdout.hasPrefix("NAMESPACE"), "\(pods)")
        #expect(pods.stdout.contains("1/1") && pods.stdout.contains("Running"))
        let ns = try await f.k("get", "ns")
        #expect(ns.stdout.contains("istio-system") && ns.stdout.contains("Active"))
        let gw = try await f.k("get", "gateways.v1alpha3.networking.istio.io", "-A")
        #expect(gw.stdout.contains("bookinfo-gateway"), "\(gw)")
    }

    @Test func outputFormatsAndSelectors() async throws {
        let f = try APIFixture(); defer { f.stop() }
        #expect(try await f.k("-n", "istio-system", "get", "svc", "prometheus", "-o", "jsonpath={.spec.ports[0].port}").stdout == "9090")
        #expect(try await f.k("-n", "istio-system", "get", "svc", "-l", "app=prometheus", "-o", "name").stdout == "service/prometheus\n")
        #expect(try await f.k("-n", "istio-system", "get", "svc", "-l", "app!=prometheus,istio", "-o", "name").stdout == "service/istio-ingressgateway\n")
        #expect(try await f.k("get", "svc", "-A", "--field-selector", "metadata.namespace=default", "-o", "name").stdout == "service/kubernetes\n")
        let yaml = try await f.k("-n", "istio-system", "get", "svc", "prometheus", "-o", "yaml")
        #expect(yaml.stdout.contains("kind: Service") && yaml.stdout.contains("clusterIP: 10."))
        let list = try JSONValue.parse(try await f.k("get", "svc", "-A", "-o", "json").stdout)
        #expect(list["kind"] == "List")
        #expect((list["items"]?.arrayValue?.count ?? 0) == 3)
    }

    @Test func notFoundIsAStatus() async throws {
        let f = try APIFixture(); defer { f.stop() }
        let r = try await f.k("-n", "istio-system", "get", "svc", "nope")
        #expect(r.exitCode == 1)
        #expect(r.stderr.contains(#"Error from server (NotFound): services "nope" not found"#), "\(r)")
        let missingNS = try await f.k("-n", "nowhere", "get", "svc", "x")
        #expect(missingNS.stderr.contains("NotFound"))
        #expect(try await f.k("-n", "istio-system", "get", "svc", "nope", "--ignore-not-found").exitCode == 0)
    }

    @Test func requestLogRecordsReadsOnly() async throws {
        let f = try APIFixture(); defer { f.stop() }
        _ = try await f.k("get", "svc", "-A")
        let log = f.lab.requestLog.entries
        #expect(log.contains { $0.method == "GET" && $0.path == "/api/v1/services" && $0.status == 200 })
        #expect(f.lab.requestLog.writes.isEmpty)
    }

    @Test func getWatchPrintsTableRows() async throws {
        let f = try APIFixture(); defer { f.stop() }
        let w = try f.kubectl.startBackground(["-n", "istio-system", "get", "svc", "-w"])
        #expect(await f.kubectl.waitForOutput(w, containing: "prometheus"))
        _ = try await f.k("-n", "istio-system", "create", "service", "clusterip", "fresh", "--tcp=80")
        #expect(await f.kubectl.waitForOutput(w, containing: "fresh "), "\(w.output)")
        let rows = w.output.split(separator: "\n")
        #expect(rows.filter { $0.hasPrefix("NAME") }.count == 1)
        #expect(rows.last?.split(separator: " ", omittingEmptySubsequences: true).prefix(2) == ["fresh", "ClusterIP"])
        f.kubectl.stop(w)
    }

    @Test func getAllListsPodsThenServices() async throws {
        let f = try APIFixture(); defer { f.stop() }
        let r = try await f.k("-n", "istio-system", "get", "all", "-o", "name")
        #expect(r.stdout.split(separator: "\n").first?.hasPrefix("pod/") == true, "\(r)")
        #expect(r.stdout.contains("service/prometheus"))
    }

    @Test func healthAndAuthCanI() async throws {
        let f = try APIFixture(); defer { f.stop() }
        #expect(try await f.k("get", "--raw", "/readyz").stdout == "ok")
        #expect(try await f.k("auth", "can-i", "patch", "services", "-n", "istio-system").stdout == "yes\n")
        #expect(f.lab.requestLog.entries.contains { $0.path == "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews" && $0.status == 201 })
        #expect(try await f.k("cluster-info").stdout.contains("Kubernetes control plane is running at \(f.lab.apiURL)"))
    }

    @Test func podLogsAreEmptyAndMissingPodsAreNotFound() async throws {
        let f = try APIFixture(); defer { f.stop() }
        let logs = try await f.k("-n", "istio-system", "logs", "prometheus-7d8f9c6b5-x2k4q")
        #expect(logs.exitCode == 0 && logs.stdout.isEmpty, "\(logs)")
        #expect(try await f.k("-n", "istio-system", "logs", "nope").stderr.contains(#"pods "nope" not found"#))
    }

    /// kubectl 1.32's describe reads EndpointSlices; the lab derives them from the stored Endpoints.
    @Test func describeServiceShowsEndpointsFromSlices() async throws {
        let f = try APIFixture(); defer { f.stop() }
        let ep: JSONValue = ["apiVersion": "v1", "kind": "Endpoints", "metadata": ["name": "prometheus", "namespace": "istio-system"],
                             "subsets": [["addresses": [["ip": "10.244.0.12"]], "ports": [["name": "http-prometheus", "port": 9090, "protocol": "TCP"]]]]]
        f.lab.store.put(ObjectRef(ResourceKey(group: "", resource: "endpoints"), namespace: "istio-system", name: "prometheus"), ep)
        let d = try await f.k("-n", "istio-system", "describe", "svc", "prometheus")
        #expect(d.stdout.contains("Endpoints:                10.244.0.12:9090"), "\(d)")
        let slices = try await f.k("-n", "istio-system", "get", "endpointslices")
        #expect(slices.stdout.contains("IPv4") && slices.stdout.contains("10.244.0.12"), "\(slices)")
        #expect(try await f.k("-n", "istio-system", "delete", "endpointslices", "--all").exitCode != 0)
    }
}
