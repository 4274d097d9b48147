import Foundation
import PortholeKube
import PortholeNet

/// Answers for every Service that is neither Prometheus nor a proxy (bookinfo's productpage...),
/// so a route to the wrong application is visibly the wrong application.
enum AppStandIn {
    static let serverName = "porthole-lab-app-standin"

    static func respond(_ req: HTTPRequest, service: JSONValue) -> HTTPResponse {
        let headers = [("Server", serverName), ("Date", EnvoyRouter.httpDate())]
        if service.name == "productpage" && (req.path == "/productpage" || req.path == "/") {
            return HTTPResponse(status: 200, contentType: "text/html; charset=utf-8",
                                body: "<!DOCTYPE html><html><head><title>Simple Bookstore App</title></head><body>bookinfo productpage (lab stand-in)</body></html>\n", headers: headers)
        }
        return HTTPResponse(status: req.path == "/" ? 200 : 404, contentType: "text/plain; charset=utf-8",
                            body: "\(service.name).\(service.namespace): \(req.path == "/" ? "hello" : "404 page not found") (lab stand-in)\n", headers: headers)
    }
}
