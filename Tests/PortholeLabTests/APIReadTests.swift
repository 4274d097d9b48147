import Foundation
import PortholeKube
import Testing
@testable import PortholeLab

/// Discovery and reads through the real kubectl.
@Suite struct APIReadTests {
    @Test func versionAndAPIResources() throws {
        let f = try APIFixture(); defer { f.stop() }
        let v = try f.k("version", "-o", "json")
        #expect(v.exitCode == 0, "\(v)")
        #expect(try JSONValue.parse(v.stdout)["serverVersion"]?["minor"] == "32")
        let r = try f.k("api-resources")
        #expect(r.stdout.split(separator: "\n").contains { $0.range(of: #"^services +svc +v1 +true +Service$"#, options: .regularExpression) != nil })
        #expect(r.stdout.contains("networking.istio.io/v1alpha3"))
        // MetalLB 0.12 has no CRDs; no Gateway API in this scenario.
        #expect(!r.stdout.contains("metallb.io"))
        #expect(!r.stdout.contains("gateway.networking.k8s.io"))
    }

    @Test func serviceTableHasTheRealColumns() throws {
        let f = try APIFixture(); defer { f.stop() }
        let r = try f.k("-n", "istio-system", "get", "svc")
        #expect(r.exitCode == 0, "\(r)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true) == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"])
        let gw = try #require(lines.first { $0.hasPrefix("istio-ingressgateway") })
        #expect(gw.contains("<pending>"))
        #expect(gw.contains("15020:30937/TCP,80:31380/TCP,443:31390/TCP"))
        let prom = try #require(lines.first { $0.hasPrefix("prometheus") })
        #expect(prom.contains("<none>") && prom.contains("9090/TCP"))
        let wide = try f.k("-n", "istio-system", "get", "svc", "-o", "wide")
        #expect(wide.stdout.contains("SELECTOR") && wide.stdout.contains("app=prometheus"))
    }

    @Test func allNamespacesPodsAndNamespacesTables() throws {
        let f = try APIFixture(); defer { f.stop() }
        let pods = try f.k("get", "pods", "-A")
        #expect(pods.stdout.hasPrefix("NAMESPACE"), "\(pods)")
        #expect(pods.stdout.contains("1/1") && pods.stdout.contains("Running"))
        let ns = try f.k("get", "ns")
        #expect(ns.stdout.contains("istio-system") && ns.stdout.contains("Active"))
        let gw = try f.k("get", "gateways.v1alpha3.networking.istio.io", "-A")
        #expect(gw.stdout.contains("bookinfo-gateway"), "\(gw)")
    }

    @Test func outputFormatsAndSelectors() throws {
        let f = try APIFixture(); defer { f.stop() }
        #expect(try f.k("-n", "istio-system", "get", "svc", "prometheus", "-o", "jsonpath={.spec.ports[0].port}").stdout == "9090")
        #expect(try f.k("-n", "istio-system", "get", "svc", "-l", "app=prometheus", "-o", "name").stdout == "service/prometheus\n")
        #expect(try f.k("-n", "istio-system", "get", "svc", "-l", "app!=prometheus,istio", "-o", "name").stdout == "service/istio-ingressgateway\n")
        #expect(try f.k("get", "svc", "-A", "--field-selector", "metadata.namespace=default", "-o", "name").stdout == "service/kubernetes\n")
        let yaml = try f.k("-n", "istio-system", "get", "svc", "prometheus", "-o", "yaml")
        #expect(yaml.stdout.contains("kind: Service") && yaml.stdout.contains("clusterIP: 10."))
        let list = try JSONValue.parse(try f.k("get", "svc", "-A", "-o", "json").stdout)
        #expect(list["kind"] == "List")
        #expect((list["items"]?.arrayValue?.count ?? 0) == 3)
    }

    @Test func notFoundIsAStatus() throws {
        let f = try APIFixture(); defer { f.stop() }
        let r = try f.k("-n", "istio-system", "get", "svc", "nope")
        #expect(r.exitCode == 1)
        #expect(r.stderr.contains(#"Error from server (NotFound): services "nope" not found"#), "\(r)")
        let missingNS = try f.k("-n", "nowhere", "get", "svc", "x")
        #expect(missingNS.stderr.contains("NotFound"))
        #expect(try f.k("-n", "istio-system", "get", "svc", "nope", "--ignore-not-found").exitCode == 0)
    }

    @Test func requestLogRecordsReadsOnly() throws {
        let f = try APIFixture(); defer { f.stop() }
        _ = try f.k("get", "svc", "-A")
        let log = f.lab.requestLog.entries
        #expect(log.contains { $0.method == "GET" && $0.path == "/api/v1/services" && $0.status == 200 })
        #expect(f.lab.requestLog.writes.isEmpty)
    }

    @Test func getWatchPrintsTableRows() throws {
        let f = try APIFixture(); defer { f.stop() }
        let w = try f.kubectl.startBackground(["-n", "istio-system", "get", "svc", "-w"])
        #expect(f.kubectl.waitForOutput(w, containing: "prometheus"))
        _ = try f.k("-n", "istio-system", "create", "service", "clusterip", "fresh", "--tcp=80")
        #expect(f.kubectl.waitForOutput(w, containing: "fresh "), "\(w.output)")
        let rows = w.output.split(separator: "\n")
        #expect(rows.filter { $0.hasPrefix("NAME") }.count == 1)
        #expect(rows.last?.split(separator: " ", omittingEmptySubsequences: true).prefix(2) == ["fresh", "ClusterIP"])
        f.kubectl.stop(w)
    }

    @Test func getAllListsPodsThenServices() throws {
        let f = try APIFixture(); defer { f.stop() }
        let r = try f.k("-n", "istio-system", "get", "all", "-o", "name")
        #expect(r.stdout.split(separator: "\n").first?.hasPrefix("pod/") == true, "\(r)")
        #expect(r.stdout.contains("service/prometheus"))
    }
}
