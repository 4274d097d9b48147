import Foundation
import Logging
import PortholeNet
import PortholeTestSupport
@testable import PortholeLab

/// A lab on `Fixtures/api-basic.yaml` with the API alone (no simulation) and real kubectl pointed at it.
/// Port-forward reaches `backend`, a local HTTP server answering every path with 200 "ready <path>".
final class APIFixture: @unchecked Sendable {
    let lab: LabInstance
    let kubectl: KubectlHarness
    let backend: HTTPServer

    static var fixtureDirectory: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures") }

    /// Sends every port-forward to one local port (the test backend), or refuses when `port` is nil.
    struct BackendNetwork: PodNetwork {
        let port: UInt16?
        func connect(namespace: String, pod: String, port p: Int) throws -> TCPConnection {
            guard let port else { throw NetError.refused }
            return try TCPDialer.connect(host: "127.0.0.1", port: port, timeout: 2)
        }
    }

    init(scenario: String = "api-basic.yaml", refusePortForward: Bool = false, latency: Double = 0, websocket: Bool = true) throws {
        backend = try HTTPServer(host: "127.0.0.1", port: 0) { req, _ in
            // `/big`: 3 MiB, more than any SPDY flow-control window, to show nothing stalls.
            if req.path == "/big" { return .respond(HTTPResponse(status: 200, contentType: "text/plain", body: String(repeating: "x", count: 3 << 20))) }
            return .respond(HTTPResponse(status: 200, contentType: "text/plain", body: "ready \(req.path)\n"))
        }
        backend.start()
        var options = LabOptions(scenario: Self.fixtureDirectory.appendingPathComponent(scenario).path)
        options.simulate = false
        options.apiLatency = latency
        options.websocketPortForward = websocket
        options.podNetwork = BackendNetwork(port: refusePortForward ? nil : backend.port)
        lab = try LabInstance.start(options, logger: Logger(label: "api-test"))
        kubectl = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
    }

    /// Runs kubectl and returns its outcome.
    func k(_ args: String..., stdin: String? = nil) async throws -> CommandOutcome { try await kubectl.run(args, stdin: stdin) }

    func stop() {
        kubectl.cleanup()
        lab.stop()
        backend.stop()
    }
}
