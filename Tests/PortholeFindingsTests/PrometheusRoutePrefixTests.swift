import Foundation
import Testing
import PortholeKube
@testable import PortholeFindings

/// The path Prometheus serves under, read from its container's flags the way Prometheus reads them.
@Suite struct PrometheusRoutePrefixTests {
    static func prefix(_ args: [String]) -> String {
        let container: JSONValue = ["name": "prometheus", "image": "quay.io/prometheus/prometheus:v2.54.1",
                                    "args": .array(args.map { .string($0) }), "ports": [["name": "web", "containerPort": 9090]]]
        return PrometheusRoutePrefix.of(containers: [container])
    }

    @Test func flagsAreReadInBothFormsAndNormalised() {
        #expect(Self.prefix(["--web.route-prefix=/prometheus/"]) == "/prometheus")
        #expect(Self.prefix(["--web.route-prefix", "prometheus"]) == "/prometheus")
        #expect(Self.prefix(["--web.route-prefix=/"]) == "")
        #expect(Self.prefix(["--web.external-url=https://ops.example.com/a/b/"]) == "/a/b")
        #expect(Self.prefix(["--web.external-url", "/prometheus/"]) == "/prometheus")
        #expect(Self.prefix(["--web.external-url=https://ops.example.com"]) == "")
        #expect(Self.prefix(["--config.file=/etc/prometheus/prometheus.yml"]) == "")
    }

    /// The route prefix wins over the external URL's path (a proxy in front strips the path).
    @Test func theRoutePrefixWinsOverTheExternalURL() {
        #expect(Self.prefix(["--web.external-url=http://ops.example.com/prometheus/", "--web.route-prefix=/"]) == "")
        #expect(Self.prefix(["--web.external-url=http://ops.example.com/x/", "--web.route-prefix=/y"]) == "/y")
    }
}
