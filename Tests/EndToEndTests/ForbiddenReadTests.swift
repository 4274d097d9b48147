import Foundation
import Testing
import PortholeCore
import PortholeLab
import PortholeTestSupport

/// A context that may not read something porthole reads (RBAC `Forbidden`). The lab has no RBAC, so a kubectl
/// wrapper first on PATH answers the chosen reads as an API server that forbids them does, and hands every other
/// call to the real kubectl. A forbidden read is never taken for "absent" (the undo of a patch journaled as a
/// delete of the object) nor for "not served": porthole stops with exit 3, quoting kubectl, before any write.
@Suite(.serialized) struct ForbiddenReadTests {
    /// A PATH whose kubectl answers calls matching `pattern` with a Forbidden error.
    static func forbidding(_ pattern: String, message: String, in dir: String) throws -> String {
        try KubectlWrapper.path(matching: pattern, answer: "echo 'Error from server (Forbidden): \(message)' >&2; exit 1", in: dir)
    }

    /// nodeport patches the existing Prometheus Service; reading it first is forbidden. Taken for "absent", the
    /// journal would undo the patch with `kubectl delete services prometheus`.
    @Test func aForbiddenReadOfAFixTargetStopsBeforeTheWrite() throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        let path = try Self.forbidding("*\"get services prometheus \"*--ignore-not-found*",
                                       message: #"services \"prometheus\" is forbidden: User \"viewer\" cannot get resource \"services\" in API group \"\" in the namespace \"istio-system\""#,
                                       in: s.harness.workDir)
        let r = try PortholeBinary.run(["--playbook", "nodeport", "--kubeconfig", s.lab.kubeconfigPath, "--yes", "--journal", s.journal],
                                       harness: s.harness, environment: ["PATH": path])
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains("refused the request: Error from server (Forbidden): services"), "\(r)")
        #expect(r.stderr.contains("is forbidden: User"), "\(r)")
        #expect(!r.stderr.contains("internal error"), "\(r)")
        let changed = s.changed
        #expect(!changed, "nothing was written")
        let records = try s.contents().records
        #expect(!records.contains { $0.undo.contains { $0.args.first == "delete" } }, "\(records)")
    }

    /// The batched read of every kind, with one kind this context may not list.
    @Test func aKindThatMayNotBeListedIsNotTakenForAKindNotServed() throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        let path = try Self.forbidding("*\" get \"*pods*\" -A -o json\"*",
                                       message: #"pods is forbidden: User \"viewer\" cannot list resource \"pods\" in API group \"\" at the cluster scope"#,
                                       in: s.harness.workDir)
        let r = try PortholeBinary.run(["--playbook", "nodeport", "--kubeconfig", s.lab.kubeconfigPath], harness: s.harness,
                                       environment: ["PATH": path])
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains("pods is forbidden"), "\(r)")
        #expect(!r.stdout.contains("does not serve pods"), "\(r)")
        #expect(!r.stderr.contains("internal error"), "\(r)")
    }
}
