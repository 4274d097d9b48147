import Foundation
import Testing
import PortholeKube
@testable import PortholeCore

@Suite struct TemplateTests {
    @Test(arguments: ["$(touch x)", "; rm -rf /", "a\nb", "it's \"quoted\"", "${notavar}", "`id`"])
    func hostileValuesStayOneArgument(value: String) throws {
        let argv = try Template.substitute(argv: [try Template("get"), try Template("svc/${name}"), try Template("-n"), try Template("${name}")],
                                           ["name": value])
        #expect(argv == ["get", "svc/\(value)", "-n", value])
    }

    @Test func escapeAndUnset() throws {
        #expect(try Template("$${HOME} ${a}").substitute(["a": "1"]) == "${HOME} 1")
        #expect(try Template("x ${a} ${b}").variables == ["a", "b"])
        #expect(throws: Template.Unset(name: "b")) { try Template("${a}${b}").substitute(["a": "1"]) }
        #expect(throws: Template.ParseError.unterminated(offset: 2)) { try Template("a ${b") }
        #expect(try Template("$${x} ${a} ${b}").substituteKnown(["a": "1"]) == "${x} 1 ${b}")
    }
}

@Suite struct SelectionPathTests {
    let doc = try! JSONValue.parse("""
    {"object": {"metadata": {"labels": {"app.kubernetes.io/name": "gw", "istio": "ingressgateway"}},
     "spec": {"ports": [{"name": "http2", "port": 80, "nodePort": 31380}, {"name": "prom", "port": 9090, "nodePort": 31399}]},
     "status": {"loadBalancer": {}}}, "headers": {"server": "istio-envoy"}}
    """)

    @Test(arguments: [
        ("object.spec.ports[0].port", ["80"]),
        ("object.spec.ports[-1].name", ["prom"]),
        ("object.spec.ports[*].nodePort", ["31380", "31399"]),
        ("object.spec.ports[?(@.port==9090)].nodePort", ["31399"]),
        ("object.spec.ports[?(@.port == '9090')].nodePort", ["31399"]),
        ("object.spec.ports[?(@.name!=prom)].port", ["80"]),
        ("object.spec.ports[?(@.name)].port", ["80", "9090"]),
        ("object.metadata.labels[\"app.kubernetes.io/name\"]", ["gw"]),
        ("headers.server", ["istio-envoy"]),
        ("object.status.loadBalancer.ingress[0].ip", []),
        ("object.spec.ports[7]", []),
    ])
    func selects(path: String, expected: [String]) throws {
        #expect(try SelectionPath(path).select(in: doc).map(\.plainText) == expected)
    }

    // The stray-Ingress capture of nginx-ingress reads a backend two lists down; before filters took indexes,
    // `rules[0]` was read as one key and the filter matched nothing, on every cluster.
    @Test func filtersReachIntoListsByIndex() throws {
        let ingresses = try JSONValue.parse("""
        {"items": [
          {"metadata": {"namespace": "istio-system", "name": "grafana"},
           "spec": {"rules": [{"http": {"paths": [{"backend": {"service": {"name": "grafana"}}}]}}]}},
          {"metadata": {"namespace": "default", "name": "prometheus"},
           "spec": {"rules": [{"http": {"paths": [{"backend": {"service": {"name": "prometheus"}}}]}}]}}]}
        """)
        let path = try SelectionPath("items[?(@.spec.rules[0].http.paths[0].backend.service.name==\"prometheus\")].metadata.namespace")
        #expect(path.select(in: ingresses).map(\.plainText) == ["default"])
        #expect(try SelectionPath("items[?(@.spec.rules[-1].http.paths[3].backend)].metadata.name").select(in: ingresses).isEmpty)
        #expect(try SelectionPath("object.spec.ports[?(@.name!=prom)].port").select(in: doc).map(\.plainText) == ["80"])
    }

    @Test(arguments: [".a", "a[", "a[x]", "a[?(port==1)]", "a..b", "a[?(@.b[*].c==1)]", "a[?(@[0]==1)]", "a[?(@.b[?(@.c)]==1)]"])
    func refusesMalformed(path: String) {
        #expect(throws: SelectionPath.ParseError.self) { try SelectionPath(path) }
    }
}

@Suite struct MatcherTests {
    let scope = MatchScope(
        probes: ["p": try! JSONValue.parse("""
            {"status": 200, "error": null, "body": "Prometheus Server is Ready.", "ports": [80, 9090], "count": 2,
             "items": [{"port": 80}, {"port": 9090}], "code": "9090"}
            """)],
        variables: ["port": "9090", "empty": "", "obj": "{\"istio\":\"ingressgateway\"}"])

    static func leaf(_ path: String?, _ test: MatchTest) -> Matcher { .test(.probe("p"), path: path, test) }

    @Test(arguments: [
        (leaf("status", .equals(200)), true),
        (leaf("status", .equals("200")), true),
        (leaf("code", .equals(9090)), true),
        (leaf("status", .equals(404)), false),
        (leaf("body", .contains("Ready")), true),
        (leaf("ports", .contains(9090)), true),
        (leaf("ports", .contains("${port}")), true),
        (leaf("ports", .contains(443)), false),
        (leaf("body", .matches("^Prometheus .* Ready\\.$")), true),
        (leaf("body", .matches("^Ready")), false),
        (leaf("error", .exists(false)), true),
        (leaf("status", .exists(true)), true),
        (leaf("nope.deeper", .exists(false)), true),
        (leaf("nope", .equals(.null)), false),
        (leaf("count", .compare(.gt, 1)), true),
        (leaf("count", .compare(.ge, 2)), true),
        (leaf("count", .compare(.lt, 2)), false),
        (leaf("count", .compare(.le, "${port}")), true),
        (leaf("items[*].port", .equals(9090)), true),
        (leaf("items[?(@.port==${port})].port", .exists(true)), true),
        (leaf("items[?(@.port==${unset})].port", .exists(true)), false),
        (.all([leaf("status", .equals(200)), leaf("count", .equals(2))]), true),
        (.all([leaf("status", .equals(200)), leaf("count", .equals(3))]), false),
        (.any([leaf("status", .equals(500)), leaf("count", .equals(2))]), true),
        (.any([]), false),
        (.all([]), true),
        (.not(leaf("status", .equals(200))), false),
        (.test(.variable("port"), path: nil, .equals(9090)), true),
        (.test(.variable("empty"), path: nil, .equals("")), true),
        (.test(.variable("missing"), path: nil, .exists(false)), true),
        (.test(.variable("obj"), path: "istio", .equals("ingressgateway")), true),
        (.test(.probe("other"), path: "x", .exists(true)), false),
    ])
    func evaluates(matcher: Matcher, expected: Bool) {
        #expect(matcher.evaluate(in: scope) == expected)
    }

    @Test func combinationsPassTheirSourceToChildren() throws {
        let text = """
        id: m
        title: M
        steps:
          - id: s
            title: S
            probes: [{id: p, tcp: {host: 127.0.0.1, port: "1"}}]
            outcomes:
              - when: {probe: p, any: [{path: connected, equals: true}, {not: {path: error, exists: true}}]}
                verdict: pass
              - verdict: fail
        """
        let pb = try PlaybookLoader(knownPlaybooks: nil).load(text: text, file: "m.yaml")
        let expected: Matcher = .any([.test(.probe("p"), path: "connected", .equals(true)),
                                      .not(.test(.probe("p"), path: "error", .exists(true)))])
        #expect(pb.steps[0].outcomes[0].when == expected)
    }
}
