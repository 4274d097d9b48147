import Foundation
import Testing
@testable import PortholeLab

/// The shared kubectl-conformance script against the lab, port-forward included.
@Suite(.serialized) struct APIConformanceTests {
    /// Checks that fail against a real API server too, so the lab must fail them as well (fidelity over score).
    /// `kubectl create configmap` wraps the server's AlreadyExists error in
    /// `fmt.Errorf("failed to create configmap: %v")` (kubectl pkg/cmd/create/create_configmap.go), so the
    /// word "AlreadyExists" the check looks for is never printed, whatever the server.
    static let failingOnRealServersToo: Set<String> = ["duplicate create is 409"]

    @Test func everyCheckARealServerPassesPasses() async throws {
        // shared/ sits beside the repository (the work tree here, CI's clone likewise).
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [repo.deletingLastPathComponent().appendingPathComponent("shared/tools/kubectl-conformance").path,
                          "/work/shared/tools/kubectl-conformance"]
        let found = candidates.first { FileManager.default.fileExists(atPath: $0) }
        let script = try #require(found, "the conformance script is missing (looked at \(candidates))")
        let f = try APIFixture(); defer { f.stop() }
        let r = try await f.kubectl.runProgram("/bin/bash", [script, "--port-forward", "istio-system", "prometheus", "9090"], timeout: 180)
        let failed = r.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
            .map { String($0.dropFirst(6)).components(separatedBy: "  (")[0] }
        #expect(Set(failed).subtracting(Self.failingOnRealServersToo).isEmpty, "\(r)")
        #expect(r.stdout.contains("port-forward reaches /-/ready"), "\(r)")
        #expect(r.stdout.contains("\(failed.count) failed"))
    }
}
