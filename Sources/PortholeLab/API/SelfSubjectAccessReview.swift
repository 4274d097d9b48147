import Foundation
import PortholeKube

/// `kubectl auth can-i`: the lab has one user, a cluster admin, so every review is allowed.
enum SelfSubjectAccessReview {
    static func answer(_ review: JSONValue) -> JSONValue {
        var out = review
        out["apiVersion"] = "authorization.k8s.io/v1"
        out["kind"] = "SelfSubjectAccessReview"
        if out["metadata"] == nil { out["metadata"] = [:] }
        out["status"] = ["allowed": true, "reason": "the lab's only user is a cluster administrator"]
        return out
    }
}
