import Foundation
import Testing
import PortholeKube
@testable import PortholeCore

/// The pure pieces behind read retries, discovery gaps and journal masking, from recorded kubectl messages.
@Suite struct FaultHandlingTests {
    @Test(arguments: [
        ("Error from server (InternalError): an error on the server (\"unknown\") has prevented the request from succeeding", TransientFailure.serverError),
        ("Error from server (ServiceUnavailable): the server is currently unable to handle the request", .unavailable),
        ("Error from server (TooManyRequests): the server has received too many requests and has asked us to try again later", .tooManyRequests),
        ("error: serializer for text/html; charset=utf-8 doesn't exist", .malformedBody),
        ("error: unexpected end of JSON input", .malformedBody),
        ("read tcp 127.0.0.1:1->127.0.0.1:2: read: connection reset by peer", .connectionReset),
        ("error: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: stream error", .incompleteDiscovery),
    ])
    func transientFailuresAreRecognised(stderr: String, expected: TransientFailure) {
        #expect(TransientFailure.classify(stderr) == expected)
    }

    @Test(arguments: [
        "Error from server (NotFound): services \"x\" not found",
        "Error from server (Forbidden): services is forbidden: User \"u\" cannot list resource",
        "error: the server doesn't have a resource type \"gateways\"",
    ])
    func theRequestsOwnFailuresAreNotRetried(stderr: String) {
        #expect(TransientFailure.classify(stderr) == nil)
    }

    @Test func aRetryWaitsLongerEachTimeAndAtLeastASecondAfter429() {
        let p = RetryPolicy()
        let waits = (1...3).map { p.delay(after: $0, failure: .serverError, jitter: 0.5) }
        #expect(waits == [0.25, 0.5, 1.0])
        #expect(p.delay(after: 1, failure: .tooManyRequests, jitter: 0) >= 1)
        #expect(p.delay(after: 10, failure: .serverError, jitter: 1) <= p.cap * 1.5)
    }

    @Test func onlyReadsAreRetried() {
        #expect(Kubectl.isRead(["get", "svc", "-A"]))
        #expect(Kubectl.isRead(["--request-timeout=5s", "api-resources"]))
        #expect(Kubectl.isRead(["auth", "can-i", "patch", "services"]))
        #expect(!Kubectl.isRead(["patch", "service", "x", "-p", "{}"]))
        #expect(!Kubectl.isRead(["apply", "-f", "-"]))
        #expect(!Kubectl.isRead(["delete", "svc", "x"]))
    }

    @Test func aPartialDiscoveryHidesOnlyItsGroups() {
        let gaps = DiscoveryGaps(stderr: "E1128 memcache.go:287] couldn't get resource list\nerror: unable to retrieve the complete list of server APIs: networking.istio.io/v1alpha3: injected fault, metrics.k8s.io/v1beta1: down")
        #expect(gaps.groupVersions == ["networking.istio.io/v1alpha3", "metrics.k8s.io/v1beta1"])
        #expect(gaps.mayHide("gateways.networking.istio.io"))
        #expect(gaps.mayHide("gateways.v1beta1.networking.istio.io"))
        #expect(gaps.mayHide("Gateway"))
        #expect(!gaps.mayHide("ipaddresspools.metallb.io"))
        #expect(!DiscoveryGaps(stderr: "").mayHide("Gateway"))
    }

    @Test func maskedJournalFieldsComeBackFromTheLiveObject() {
        let recorded: JSONValue = ["metadata": ["annotations": ["a/password": "<masked: password>", "b/url": "postgres://<masked: credentials>@db", "plain": "old"]],
                                   "spec": ["type": "ClusterIP"]]
        let live: JSONValue = ["metadata": ["annotations": ["a/password": "hunter22", "b/url": "postgres://u:pw@db", "plain": "new"]],
                               "spec": ["type": "NodePort"]]
        let restored = Redactor.unmasking(recorded, from: live)
        #expect(restored["metadata"]?["annotations"]?["a/password"] == "hunter22")
        #expect(restored["metadata"]?["annotations"]?["b/url"] == "postgres://u:pw@db")
        #expect(restored["metadata"]?["annotations"]?["plain"] == "old")
        #expect(restored["spec"]?["type"] == "ClusterIP")
    }

    @Test(arguments: [("dbPassword", true), ("bearer", true), ("example.com/db-password", true), ("api-key", true),
                      ("secretName", false), ("passwordSecretRef", false), ("nodePort", false), ("tokenFile", false)])
    func secretNames(name: String, secret: Bool) {
        #expect(KnownSecrets.isSecretName(name) == secret)
    }

    @Test func aLearntSecretIsMaskedWherever() {
        let known = KnownSecrets()
        known.learn(from: ["kind": "Secret", "data": ["k": .string(Data("plain-value-77".utf8).base64EncodedString())]])
        let r = Redactor(known: known)
        #expect(r.redact("captured v=plain-value-77 and cGxhaW4tdmFsdWUtNzc=") == "captured v=<masked: secret data> and <masked: secret data>")
        known.learn("short", as: "password")
        #expect(r.redact("a short word") == "a short word")
    }

    @Test func oneUnjudgeableObjectDoesNotEmptyTheSnapshot() {
        let good: JSONValue = ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "a", "namespace": "default"]]
        let bad: JSONValue = ["kind": "Service", "metadata": ["name": "b", "namespace": "default"]]
        let snapshot = BuiltInChecks.clusterSnapshot(ObjectSnapshot(objects: ["services": [good, bad]]))
        #expect(snapshot.objects.values.flatMap { $0 } == [good])
    }
}
