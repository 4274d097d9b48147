import Foundation
import PortholeNet
import Testing
@testable import PortholeLab

/// The API server's service and pod proxy (`kubectl get --raw .../proxy/...`, `kubectl proxy`).
@Suite(.serialized) struct APIProxyTests {
    static let base = "/api/v1/namespaces/istio-system/services"

    @Test func serviceProxyReachesAReadyPod() async throws {
        let f = try APIFixture(); defer { f.stop() }
        #expect(try await f.k("get", "--raw", "\(Self.base)/prometheus:9090/proxy/-/ready").stdout == "ready /-/ready\n")
        #expect(try await f.k("get", "--raw", "\(Self.base)/prometheus:http-prometheus/proxy/graph?g0.expr=up").stdout == "ready /graph\n")
        #expect(try await f.k("get", "--raw", "/api/v1/namespaces/istio-system/pods/prometheus-7d8f9c6b5-x2k4q:9090/proxy/metrics").stdout == "ready /metrics\n")
        let missing = try await f.k("get", "--raw", "\(Self.base)/nope:80/proxy/")
        #expect(missing.stderr.contains(#"services "nope" not found"#), "\(missing)")
        let noPods = try await f.k("get", "--raw", "\(Self.base)/istio-ingressgateway:80/proxy/")
        #expect(noPods.stderr.contains(#"no endpoints available for service "istio-ingressgateway""#), "\(noPods)")
    }

    @Test func aRefusedPodPortIsServiceUnavailable() async throws {
        let f = try APIFixture(refusePortForward: true); defer { f.stop() }
        let r = try await f.k("get", "--raw", "\(Self.base)/prometheus:9090/proxy/-/ready")
        #expect(r.stderr.contains("Error from server (ServiceUnavailable): error trying to reach service: dial tcp 10.244.0.12:9090: connect: connection refused"), "\(r)")
    }
}
