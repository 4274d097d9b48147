import Foundation
import PortholeKube
import PortholeNet

/// `pods/NAME/portforward`: kubectl 1.32 first asks for a WebSocket carrying SPDY (subprotocol
/// `SPDY/3.1+portforward.k8s.io`), and falls back to a direct SPDY/3.1 upgrade when that is refused.
/// Both are served (`LabOptions.websocketPortForward` false refuses the WebSocket, to test the fallback).
extension APIServer {
    func portForward(_ req: HTTPRequest, namespace: String, pod: String) throws -> (HTTPServerAction, Int) {
        guard let r = catalog.resource(group: "", version: "v1", plural: "pods") else { throw APIError.pathNotFound() }
        guard store.get(ObjectRef(r.key, namespace: namespace, name: pod)) != nil else { throw APIError.notFound(r, pod) }
        let upgrade = (req.headers["Upgrade"] ?? "").lowercased()
        let network = podNetwork
        if upgrade == "websocket" {
            let wanted = "SPDY/3.1+portforward.k8s.io"
            let offered = (req.headers["Sec-WebSocket-Protocol"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard websocketPortForward, offered.contains(wanted), let key = req.headers["Sec-WebSocket-Key"] else {
                throw APIError.badRequest("unable to upgrade connection: WebSocket port-forward needs the subprotocol \(wanted)")
            }
            let action: HTTPServerAction = .hijack { [streams] conn in streams.run(conn) {
                let head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: \(WebSocketStream.accept(key: key))\r\nSec-WebSocket-Protocol: \(wanted)\r\n\r\n"
                guard (try? conn.write(head)) != nil else { conn.close(); return }
                PortForwardSession(conn: WebSocketStream(conn), namespace: namespace, pod: pod, network: network).run()
            } }
            return (action, 101)
        }
        guard upgrade.hasPrefix("spdy/3.1") else {
            throw APIError.badRequest("unable to upgrade connection: port-forward needs an upgrade to SPDY/3.1 or a WebSocket")
        }
        let action: HTTPServerAction = .hijack { [streams] conn in streams.run(conn) {
            let head = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n"
            guard (try? conn.write(head)) != nil else { conn.close(); return }
            PortForwardSession(conn: TCPByteStream(conn), namespace: namespace, pod: pod, network: network).run()
        } }
        return (action, 101)
    }
}
