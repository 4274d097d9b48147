import Foundation
import Testing
import PortholeKube
import PortholeNet
@testable import PortholeLab

/// The real Prometheus backend: started on a free loopback port, reached through the lab's outside
/// addresses, and gone (process and data) after stop. No silent skip: without `prometheus` on PATH this
/// fails unless PORTHOLE_ALLOW_NO_PROMETHEUS=1.
@Suite(.serialized) struct DataPlanePrometheusTests {
    static var allowMissing: Bool { ProcessInfo.processInfo.environment["PORTHOLE_ALLOW_NO_PROMETHEUS"] == "1" }

    @Test func realPrometheusThroughTheNodePort() throws {
        guard PrometheusBackend.findBinary() != nil else {
            if Self.allowMissing { return }
            Issue.record("no `prometheus` on PATH: install it (Debian: apt-get install prometheus) or set PORTHOLE_ALLOW_NO_PROMETHEUS=1")
            return
        }
        let lab = try DataPlaneNotesTests.Lab(realPrometheus: true)
        defer { withExtendedLifetime(lab) {} }
        #expect(lab.sim.backendDescription.hasPrefix("real Prometheus 2."), "\(lab.sim.backendDescription)")
        print("real Prometheus ready after \(formatSeconds(lab.sim.backendStartupSeconds)): \(lab.sim.backendDescription)")
        let pid = lab.sim.backend?.pid
        let dataDirectory = lab.sim.backend?.dataDirectory
        #expect(pid != nil && dataDirectory != nil)
        lab.edit(DataPlaneNotesTests.prometheusRef) { $0["spec"]?["type"] = "NodePort" }
        let nodePort = lab.store.get(DataPlaneNotesTests.prometheusRef)?["spec"]?["ports"]?[0]?["nodePort"]?.intValue ?? 0
        let (ready, _) = DataPlaneNotesTests.get(lab.node, nodePort, "/-/ready")
        #expect(ready == .status(200))
        let (_, info) = DataPlaneNotesTests.get(lab.node, nodePort, "/api/v1/status/buildinfo")
        #expect(info?.bodyText.contains("\"version\":\"2.") == true)
        #expect(info?.headers["Server"] != PrometheusStandIn.serverName)
        lab.sim.stop()
        if let pid { #expect(kill(pid, 0) != 0, "the prometheus process is gone after stop") }
        if let pid { #expect(!ChildProcesses.shared.running.contains(pid)) }
        if let dataDirectory { #expect(!FileManager.default.fileExists(atPath: dataDirectory), "temp data removed") }
    }

    @Test func standInNamesItself() throws {
        let backend = try PrometheusBackend.start(useReal: false, logger: SimFixtures.logger)
        defer { backend.stop() }
        #expect(backend.description == "built-in stand-in")
        for path in ["/-/ready", "/-/healthy", "/graph", "/metrics", "/api/v1/status/buildinfo"] {
            let r = try HTTPClient.send(HTTPRequest(method: "GET", target: path), host: backend.host, port: backend.port, connectTimeout: 1, timeout: 2)
            #expect(r.status == 200 && r.headers["Server"] == PrometheusStandIn.serverName, "\(path)")
        }
    }

    /// Under `--web.route-prefix=/prometheus` the stand-in and the real server answer alike: `/-/ready` is 404,
    /// `/prometheus/-/ready` 200, `/` redirects to the prefix.
    @Test(arguments: [false, true])
    func bothBackendsServeUnderARoutePrefix(real: Bool) throws {
        if real && PrometheusBackend.findBinary() == nil {
            if Self.allowMissing { return }
            Issue.record("no `prometheus` on PATH: install it (Debian: apt-get install prometheus) or set PORTHOLE_ALLOW_NO_PROMETHEUS=1")
            return
        }
        let backend = try PrometheusBackend.start(useReal: real, routePrefix: "/prometheus", logger: SimFixtures.logger)
        defer { backend.stop() }
        func get(_ path: String) throws -> HTTPResponse {
            try HTTPClient.send(HTTPRequest(method: "GET", target: path), host: backend.host, port: backend.port, connectTimeout: 1, timeout: 5)
        }
        #expect(try get("/-/ready").status == 404, "\(backend.description)")
        #expect(try get("/graph").status == 404, "\(backend.description)")
        #expect(try get("/prometheus/-/ready").status == 200, "\(backend.description)")
        #expect(try get("/prometheus/api/v1/status/buildinfo").bodyText.contains("\"version\":\"2."), "\(backend.description)")
        let root = try get("/")
        #expect(root.status == 302 && root.headers["Location"] == "/prometheus", "\(backend.description): \(root.status) \(String(describing: root.headers["Location"]))")
    }

    @Test func theRoutePrefixIsReadFromThePodsArguments() {
        func pod(_ args: [String]) -> JSONValue {
            ["spec": ["containers": [["name": "prometheus", "args": .array(args.map { .string($0) })]]]]
        }
        #expect(ServiceRole.prometheusRoutePrefix(pod(["--web.route-prefix=/prometheus/"])) == "/prometheus")
        #expect(ServiceRole.prometheusRoutePrefix(pod(["--web.external-url=http://ops.example.com/prom/"])) == "/prom")
        #expect(ServiceRole.prometheusRoutePrefix(pod(["--web.external-url=http://ops.example.com/prom/", "--web.route-prefix=/"])) == "")
        #expect(ServiceRole.prometheusRoutePrefix(pod(["--config.file=/etc/prometheus/prometheus.yml"])) == "")
    }
}
