import Foundation
import PortholeNet

/// The built-in Prometheus stand-in used when no `prometheus` binary is available. It names itself
/// (`server: porthole-lab-prometheus-standin`) so nobody mistakes it for the real server.
enum PrometheusStandIn {
    static let serverName = "porthole-lab-prometheus-standin"

    /// Answers as Prometheus started with `--web.route-prefix=<routePrefix>` does: every endpoint only under the
    /// prefix, `/` redirected to it, anything else 404.
    static func respond(_ req: HTTPRequest, routePrefix: String) -> HTTPResponse {
        guard !routePrefix.isEmpty else { return respond(req) }
        if req.path == "/" {
            return HTTPResponse(status: 302, contentType: "text/html; charset=utf-8", body: "<a href=\"\(routePrefix)\">Found</a>.\n",
                                headers: [("Server", serverName), ("Date", EnvoyRouter.httpDate()), ("Location", routePrefix)])
        }
        guard req.path == routePrefix || req.path.hasPrefix(routePrefix + "/") else { return respond(req, path: "/404") }
        let rest = String(req.path.dropFirst(routePrefix.count))
        if rest.isEmpty || rest == "/" {
            return HTTPResponse(status: 302, contentType: "text/html; charset=utf-8", body: "<a href=\"\(routePrefix)/graph\">Found</a>.\n",
                                headers: [("Server", serverName), ("Date", EnvoyRouter.httpDate()), ("Location", routePrefix + "/graph")])
        }
        return respond(req, path: rest)
    }

    static func respond(_ req: HTTPRequest, path: String? = nil) -> HTTPResponse {
        let headers = [("Server", serverName), ("Date", EnvoyRouter.httpDate())]
        let path = path ?? req.path
        switch path {
        case "/-/ready": return HTTPResponse(status: 200, contentType: "text/plain; charset=utf-8", body: "Prometheus Server is Ready.\n", headers: headers)
        case "/-/healthy": return HTTPResponse(status: 200, contentType: "text/plain; charset=utf-8", body: "Prometheus Server is Healthy.\n", headers: headers)
        case "/", "/graph":
            if path == "/" { return HTTPResponse(status: 302, contentType: "text/html; charset=utf-8", body: "<a href=\"/graph\">Found</a>.\n", headers: headers + [("Location", "/graph")]) }
            return HTTPResponse(status: 200, contentType: "text/html; charset=utf-8",
                                body: "<!doctype html><html lang=\"en\"><head><title>Prometheus Time Series Collection and Processing Server</title></head><body>porthole lab stand-in for the Prometheus UI</body></html>\n", headers: headers)
        case "/metrics":
            return HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8",
                                body: "# HELP prometheus_build_info A metric with a constant '1' value labeled by version.\n# TYPE prometheus_build_info gauge\nprometheus_build_info{version=\"2.42.0\",standin=\"porthole-lab\"} 1\n", headers: headers)
        case "/api/v1/status/buildinfo":
            return HTTPResponse(status: 200, contentType: "application/json",
                                body: #"{"status":"success","data":{"version":"2.42.0","revision":"porthole-lab-standin","branch":"standin","buildUser":"porthole","buildDate":"","goVersion":""}}"#, headers: headers)
        default:
            return HTTPResponse(status: 404, contentType: "text/plain; charset=utf-8", body: "404 page not found\n", headers: headers)
        }
    }
}
