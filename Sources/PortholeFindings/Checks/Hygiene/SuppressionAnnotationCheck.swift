import Foundation
import PortholeKube

extension FindingDefinition {
    static let unreadableSuppression = FindingDefinition(
        code: "PH0803", level: .warning, title: "UnreadableSuppression",
        template: "{object} annotation porthole.dev/suppress cannot be read ({problem}): it suppresses nothing",
        cause: "A suppression must name codes and a reason, and its expiry must be a date, so that every accepted finding says why and until when.",
        fix: "write it as: porthole.dev/suppress: \"PH0301 until=2027-01-31 reason=why this is accepted\"")
    static let expiredSuppression = FindingDefinition(
        code: "PH0804", level: .info, title: "ExpiredSuppression",
        template: "{object} suppression of {codes} expired on {until} ({reason}): those findings are reported again",
        cause: "A suppression with until= applies up to and including that day (UTC), so accepted risks get looked at again.",
        fix: "fix the findings, or renew the suppression with a new until= date and reason on {object}")
}

/// Suppression annotations that cannot be read, or that have expired.
public enum SuppressionAnnotationCheck: FindingCheck {
    public static let id = "suppression-annotations"
    public static var definitions: [FindingDefinition] { [.unreadableSuppression, .expiredSuppression] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        var out: [Finding] = []
        for obj in s.objects.values.joined().map(KubeObject.init) {
            guard let text = obj.annotations[Suppression.annotation] else { continue }
            let field = "metadata.annotations.\(Suppression.annotation)"
            do {
                for sup in try Suppression.parseAll(text) where !sup.isActive(at: scope.now) {
                    out.append(FindingDefinition.expiredSuppression.make(obj.reference, field: field, [
                        "object": .object(obj.reference), "codes": .list(sup.codes), "until": .value(sup.until ?? ""), "reason": .value(sup.reason),
                    ]))
                }
            } catch {
                out.append(FindingDefinition.unreadableSuppression.make(obj.reference, field: field, ["object": .object(obj.reference), "problem": .value("\(error)")]))
            }
        }
        return out
    }

    static func vs(_ annotation: String) -> String {
        """
        apiVersion: networking.istio.io/v1alpha3
        kind: VirtualService
        metadata:
          name: prometheus
          namespace: istio-system
          annotations: {porthole.dev/suppress: "\(annotation)"}
        spec:
          hosts: [prometheus.example.com]
          gateways: [prometheus-gateway]
        """
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("no reason", raises: ["PH0803"], yaml: vs("PH0701 until=2027-01-31")),
            CheckExample("expired (scope date is 1970 in examples, so use an old date)", raises: ["PH0804"], yaml: vs("PH0701 until=1969-12-30 reason=firewall limits 9090 to the office")),
            CheckExample("valid and active", raises: [], yaml: vs("PH0701 until=2027-01-31 reason=firewall limits 9090 to the office")),
        ]
    }
}
