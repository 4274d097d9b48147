import Foundation
import Testing
@testable import PortholeNet

/// HTTP/1.1 framing and the client/server pair over real loopback sockets.
@Suite struct HTTPExchangeTests {
    func server(_ handler: @escaping @Sendable (HTTPRequest, TCPConnection) -> HTTPServerAction) throws -> HTTPServer {
        let s = try HTTPServer(host: "127.0.0.1", port: 0, handler: handler)
        s.start()
        return s
    }

    @Test func roundTripWithHostHeaderAndBody() throws {
        let s = try server { req, _ in
            .respond(HTTPResponse(status: 200, contentType: "text/plain",
                                  body: "\(req.method) \(req.path) host=\(req.headers["Host"] ?? "-") q=\(req.queryValue("a") ?? "-") body=\(String(decoding: req.body, as: UTF8.self))"))
        }
        defer { s.stop() }
        var req = HTTPRequest(method: "POST", target: "/x?a=b%20c", body: Array("hi".utf8))
        req.headers.add("Host", "prometheus.example.com")
        let r = try HTTPClient.send(req, host: "127.0.0.1", port: s.port, connectTimeout: 1, timeout: 2)
        #expect(r.status == 200)
        #expect(r.bodyText == "POST /x host=prometheus.example.com q=b c body=hi")
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        let s = try server { req, _ in .respond(HTTPResponse(status: 204)) }
        defer { s.stop() }
        let c = try TCPDialer.connect(host: "127.0.0.1", port: s.port, timeout: 1)
        defer { c.close() }
        for _ in 0..<3 {
            try c.write(HTTPRequest(method: "GET", target: "/", headers: HTTPHeaders([("Host", "x")])).serialized())
            let r = try HTTPWire.readResponse(c, timeout: 2)
            #expect(r.status == 204)
        }
    }

    @Test func resetIsReportedAsReset() throws {
        let s = try server { _, _ in .reset }
        defer { s.stop() }
        do {
            _ = try HTTPClient.send(HTTPRequest(method: "GET", target: "/"), host: "127.0.0.1", port: s.port, connectTimeout: 1, timeout: 2)
            Issue.record("expected a reset")
        } catch let e as NetError {
            #expect(e == .reset)
        }
    }

    @Test func chunkedBodiesAreDecoded() throws {
        let s = try server { _, _ in
            .hijack { c in
                try? c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
                c.close()
            }
        }
        defer { s.stop() }
        let r = try HTTPClient.send(HTTPRequest(method: "GET", target: "/"), host: "127.0.0.1", port: s.port, connectTimeout: 1, timeout: 2)
        #expect(r.bodyText == "hello world")
    }

    @Test func readTimeoutWhenTheServerNeverAnswers() throws {
        let s = try server { _, _ in .hijack { c in Thread.sleep(forTimeInterval: 1.5); c.close() } }
        defer { s.stop() }
        #expect(throws: NetError.timeout(seconds: 0.3)) {
            try HTTPClient.send(HTTPRequest(method: "GET", target: "/"), host: "127.0.0.1", port: s.port, connectTimeout: 1, timeout: 0.3)
        }
    }

    @Test func malformedStatusLineIsAnError() throws {
        let s = try server { _, _ in .hijack { c in try? c.write("garbage\r\n\r\n"); c.close() } }
        defer { s.stop() }
        #expect(throws: HTTPParseError.self) {
            try HTTPClient.send(HTTPRequest(method: "GET", target: "/"), host: "127.0.0.1", port: s.port, connectTimeout: 1, timeout: 1)
        }
    }
}
