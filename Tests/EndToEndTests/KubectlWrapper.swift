import Foundation
import PortholeTestSupport

/// A `kubectl` first on PATH that answers calls whose argv matches a shell `case` pattern itself (as a server
/// the lab cannot imitate would: RBAC refusals, garbage) and hands every other call to the real kubectl.
enum KubectlWrapper {
    /// A PATH value whose first directory (under `dir`) holds the wrapper; `answer` is shell run for matching calls.
    static func path(matching pattern: String, answer: String, in dir: String) throws -> String {
        let bin = dir + "/kubectl-wrapper-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        let real = KubectlHarness.findOnPath("kubectl") ?? "/usr/bin/kubectl"
        let script = """
        #!/bin/sh
        case "$*" in \(pattern))
          \(answer);; esac
        exec \(real) "$@"
        """
        try script.write(toFile: bin + "/kubectl", atomically: true, encoding: .utf8)
        chmod(bin + "/kubectl", 0o755)
        return bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    }
}
