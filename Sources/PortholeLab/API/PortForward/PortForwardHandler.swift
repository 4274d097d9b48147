import Foundation
import PortholeKube
import PortholeNet

extension APIServer {
    func portForward(_ req: HTTPRequest, namespace: String, pod: String) throws -> (HTTPServerAction, Int) {
        throw APIError(code: 400, reason: "BadRequest", message: "port-forward is not served by this lab build")
    }
}
