import Foundation
import PortholeKube

extension FindingDefinition {
    static let invalidRouteRegex = FindingDefinition(
        code: "PH0301", level: .error, title: "InvalidRouteRegex",
        template: "{virtualService} field {field} = \"{regex}\" is not a valid RE2 regular expression: {problem}",
        cause: "Istio match regexes are Google RE2 and must compile (a glob such as \"*\" does not); recent Istio rejects the object, older Istio drops the route.",
        fix: "use prefix: / to match every path, or a valid RE2 such as \".*\" (regex: \"{suggestion}\")")
}

/// Regexes in VirtualService matches that RE2 rejects (approximated, see `RegexCheck`).
public enum VirtualServiceRegexCheck: FindingCheck {
    public static let id = "invalid-route-regex"
    public static var definitions: [FindingDefinition] { [.invalidRouteRegex] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        var out: [Finding] = []
        for vs in s.virtualServices {
            for m in vs.stringMatches where m.kind == "regex" {
                guard let problem = RegexCheck.problem(m.value) else { continue }
                let suggestion = m.value.first.map { "*+?".contains($0) } == true ? "." + m.value : ".*"
                out.append(FindingDefinition.invalidRouteRegex.make(vs.reference, field: m.field, [
                    "virtualService": .object(vs.reference), "field": .field(m.field), "regex": .value(m.value),
                    "problem": .value(problem), "suggestion": .value(suggestion),
                ]))
            }
        }
        return out
    }

    static func vs(_ match: String) -> String {
        RoutingExamples.virtualService(namespace: "istio-system", """
              hosts: ["*"]
              gateways: [prometheus-gateway]
              http:
              - match: [{uri: {\(match)}}]
                route: [{destination: {host: prometheus, port: {number: 9090}}}]
            """)
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("glob star as regex", raises: ["PH0301"], yaml: vs("regex: \"*\"")),
            CheckExample("leading plus", raises: ["PH0301"], yaml: vs("regex: \"+graph\"")),
            CheckExample("lookahead", raises: ["PH0301"], yaml: vs("regex: \"/(?!admin).*\"")),
            CheckExample("unbalanced parenthesis", raises: ["PH0301"], yaml: vs("regex: \"/(graph\"")),
            CheckExample("valid RE2", raises: [], yaml: vs("regex: \"/(graph|metrics|-/ready).*\"")),
            CheckExample("prefix match", raises: [], yaml: vs("prefix: /")),
        ]
    }
}
