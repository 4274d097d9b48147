import Foundation
import PortholeKube
import PortholeNet

/// `pods/NAME/portforward`: the SPDY/3.1 upgrade kubectl falls back to.
///
/// kubectl 1.32 first tries a WebSocket upgrade (SPDY tunneled in WebSocket frames); a non-101 answer to
/// that makes it fall back to a direct SPDY upgrade, so we refuse the WebSocket one and serve SPDY only.
extension APIServer {
    func portForward(_ req: HTTPRequest, namespace: String, pod: String) throws -> (HTTPServerAction, Int) {
        guard let r = catalog.resource(group: "", version: "v1", plural: "pods") else { throw APIError.pathNotFound() }
        guard store.get(ObjectRef(r.key, namespace: namespace, name: pod)) != nil else { throw APIError.notFound(r, pod) }
        let upgrade = (req.headers["Upgrade"] ?? "").lowercased()
        guard upgrade.hasPrefix("spdy/3.1") else {
            throw APIError.badRequest("unable to upgrade connection: the lab serves port-forward over SPDY/3.1 only")
        }
        let network = podNetwork
        let action: HTTPServerAction = .hijack { [streams] conn in streams.run(conn) {
            let head = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n"
            guard (try? conn.write(head)) != nil else { conn.close(); return }
            PortForwardSession(conn: conn, namespace: namespace, pod: pod, network: network).run()
        } }
        return (action, 101)
    }
}
