import Foundation
import PortholeNet
import Testing
@testable import PortholeLab

/// `kubectl port-forward svc/...` through the lab's SPDY/3.1 port-forward, to a local test backend.
@Suite(.serialized) struct APIPortForwardTests {
    static func freePort() throws -> UInt16 {
        let l = try TCPListener(host: "127.0.0.1", port: 0)
        defer { l.close() }
        return l.port
    }

    /// Over kubectl's first choice (SPDY inside a WebSocket) and over the SPDY/3.1 fallback.
    @Test(arguments: [true, false])
    func reachesTheBackendThroughTheService(websocket: Bool) async throws {
        let f = try APIFixture(websocket: websocket); defer { f.stop() }
        let local = try Self.freePort()
        let pf = try f.kubectl.startBackground(["-n", "istio-system", "port-forward", "svc/prometheus", "\(local):9090"])
        #expect(await f.kubectl.waitForOutput(pf, containing: "Forwarding from 127.0.0.1"), "\(pf.output)")
        for _ in 0..<3 {
            let r = try HTTPClient.send(HTTPRequest(method: "GET", target: "/-/ready"), host: "127.0.0.1", port: local, connectTimeout: 2, timeout: 5)
            #expect(r.status == 200 && r.bodyText == "ready /-/ready\n")
        }
        let big = try HTTPClient.send(HTTPRequest(method: "GET", target: "/big"), host: "127.0.0.1", port: local, connectTimeout: 2, timeout: 20)
        #expect(big.body.count == 3 << 20)
        let upgrades = f.lab.requestLog.entries.filter { $0.path.hasSuffix("/portforward") }
        #expect(upgrades.map(\.method) == (websocket ? ["GET"] : ["GET", "POST"]))
        #expect(upgrades.last?.status == 101)
        f.kubectl.stop(pf)
    }

    @Test func aRefusedPodPortIsReportedByKubectl() async throws {
        let f = try APIFixture(refusePortForward: true); defer { f.stop() }
        let local = try Self.freePort()
        let pf = try f.kubectl.startBackground(["-n", "istio-system", "port-forward", "svc/prometheus", "\(local):9090"])
        #expect(await f.kubectl.waitForOutput(pf, containing: "Forwarding from 127.0.0.1"))
        #expect(throws: (any Error).self) {
            try HTTPClient.send(HTTPRequest(method: "GET", target: "/-/ready"), host: "127.0.0.1", port: local, connectTimeout: 2, timeout: 5)
        }
        #expect(await f.kubectl.waitForOutput(pf, containing: "connection refused"), "\(pf.output)")
        f.kubectl.stop(pf)
    }

    /// Stopping the lab ends a port-forward's SPDY connection: kubectl notices and exits.
    /// It takes ~0.1 s here; the 20 s budget is for a loaded CI machine (one run took over 3 s) and
    /// is still far below what kubectl would need to notice a connection the lab left open (its
    /// tunnel heartbeat gives up after about a minute).
    @Test func stoppingTheLabEndsPortForwards() async throws {
        let f = try APIFixture()
        defer { f.stop() }
        let local = try Self.freePort()
        let pf = try f.kubectl.startBackground(["-n", "istio-system", "port-forward", "svc/prometheus", "\(local):9090"])
        #expect(await f.kubectl.waitForOutput(pf, containing: "Forwarding from 127.0.0.1"))
        _ = try HTTPClient.send(HTTPRequest(method: "GET", target: "/-/ready"), host: "127.0.0.1", port: local, connectTimeout: 2, timeout: 5)
        f.lab.stop()
        #expect(await f.kubectl.waitForOutput(pf, containing: "lost connection to pod", timeout: 20), "\(pf.output)")
    }
}
