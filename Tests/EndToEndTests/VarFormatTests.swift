import Foundation
import Testing
import PortholeTestSupport

/// A `--var` that does not fit its input's format (a CIDR, a port) exits 2 naming it, before the cluster is read:
/// with `--yes` it would otherwise be written into the cluster (`loadBalancerSourceRanges: [not-a-cidr]`).
@Suite(.serialized) struct VarFormatTests {
    @Test(arguments: [("loadbalancer-metallb", "operatorCIDR=not-a-cidr", "--var operatorCIDR: `not-a-cidr` is not an address block"),
                      ("port-forward", "localPort=99999", "--var localPort: `99999` is not a port (1-65535)")])
    func aMalformedVarIsRefusedBeforeTheCluster(playbook: String, variable: String, said: String) throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        let before = s.lab.requestLog.entries.count
        let r = try PortholeBinary.run(["--playbook", playbook, "--kubeconfig", s.lab.kubeconfigPath, "--yes", "--var", variable], harness: s.harness)
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderr.contains(said), "\(r)")
        #expect(s.lab.requestLog.entries.count == before, "the cluster was not read")
    }
}
