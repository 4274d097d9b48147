import Foundation
import PortholeNet

/// Byte and HTTP plumbing between an accepted connection and whatever answers it.
enum Relay {
    /// Copies bytes both ways until either side closes (kube-proxy's DNAT, port-forward).
    static func pipe(_ a: TCPConnection, _ b: TCPConnection) {
        let done = DispatchGroup()
        for (from, to) in [(a, b), (b, a)] {
            done.enter()
            let t = Thread {
                defer { done.leave() }
                while let bytes = try? from.read(), !bytes.isEmpty {
                    if (try? to.write(bytes)) == nil { break }
                }
                to.shutdownWrite()
            }
            t.stackSize = 1 << 20
            t.start()
        }
        done.wait()
        a.close(); b.close()
    }

    /// Serves HTTP/1.1 requests on `c` until the client closes; `respond` returning nil resets the connection.
    static func serveHTTP(_ c: TCPConnection, _ respond: (HTTPRequest) -> HTTPResponse?) {
        defer { c.close() }
        while true {
            guard let req = try? HTTPWire.readRequest(c, timeout: 60) else { return }
            guard var resp = respond(req) else { c.reset(); return }
            let closeAfter = req.headers["Connection"]?.lowercased() == "close" || req.version == "HTTP/1.0"
            if closeAfter { resp.headers.set("Connection", "close") }
            do { try c.write(resp.serialized()) } catch { return }
            if closeAfter { return }
        }
    }

    /// A flow a NetworkPolicy drops, as its client sees it: nothing ever answers. The lab has already accepted
    /// the connection, so it holds it unanswered until the client gives up (30 s at most).
    static func drop(_ c: TCPConnection) {
        defer { c.close() }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            do {
                if try c.read(timeout: 1).isEmpty { return }
            } catch NetError.timeout {
                continue
            } catch {
                return
            }
        }
    }

    /// One exchange with an upstream at host:port (the proxy side of Envoy or nginx).
    static func exchange(_ req: HTTPRequest, host: String, port: UInt16) throws -> HTTPResponse {
        var r = req
        r.headers.set("Connection", "close")
        return try HTTPClient.send(r, host: host, port: port, connectTimeout: 2, timeout: 30)
    }
}
