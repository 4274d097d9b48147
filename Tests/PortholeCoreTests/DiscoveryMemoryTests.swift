import Foundation
import Testing
import PortholeKube
@testable import PortholeCore
import PortholeTestSupport

/// The early batched read: started on the groups remembered from the last run, used only when this run's
/// discovery asks for exactly the same resources.
@Suite struct DiscoveryMemoryTests {
    static let kubeconfig = """
    apiVersion: v1
    kind: Config
    current-context: lab
    contexts: [{name: lab, context: {cluster: lab, user: me}}]
    clusters: [{name: lab, cluster: {server: "https://127.0.0.1:6443"}}]
    users: [{name: me, user: {}}]
    """

    static let get = ["kubectl", "--kubeconfig", "/k", "get"]
    static let tail = ["-A", "-o", "json", "--request-timeout=5s"]
    static let apis = ["kubectl", "--kubeconfig", "/k", "get", "--raw", "/apis", "--request-timeout=5s"]
    static let wanted = ["services", "gateways.networking.istio.io", "ipaddresspools.metallb.io"]

    func setUp() -> (TestContext, SnapshotSource, DiscoveryMemory) {
        let t = TestContext(environment: ["HOME": "/home/op"])
        try? t.files.write("/k", Data(Self.kubeconfig.utf8))
        let kubectl = Kubectl(options: KubeOptions(kubeconfig: "/k"), context: t.context)
        let memory = DiscoveryMemory(kube: kubectl.options, context: t.context)!
        return (t, SnapshotSource(kubectl: kubectl, resources: Self.wanted, timeout: 5), memory)
    }

    @Test func theFirstReadRemembersTheKnownGroups() async throws {
        let (t, source, memory) = setUp()
        t.commands.on(Self.apis, stdout: groupList, times: 1)
        t.commands.on(Self.get + ["services,gateways.v1beta1.networking.istio.io"] + Self.tail, stdout: serviceList, times: 1)
        #expect(memory.recall() == nil)
        _ = try await source.snapshot()
        #expect(memory.path.hasPrefix("/home/op/.cache/porthole/discovery/127.0.0.1_6443-"))
        #expect(memory.recall() == ["groups": [["name": "networking.istio.io", "versions": [["version": "v1beta1"]]]]])
        #expect(t.commands.commands.count == 2)
        #expect(await source.earlyReadsUsed == 0)
    }

    @Test func aRememberedGroupListThatDiscoveryConfirmsCostsNoSecondRead() async throws {
        let (t, source, memory) = setUp()
        memory.remember(try JSONValue.parse(groupList))
        t.commands.on(Self.apis, stdout: groupList, times: 1)
        t.commands.on(Self.get + ["services,gateways.v1beta1.networking.istio.io"] + Self.tail, stdout: serviceList, times: 1)
        let snap = try await source.snapshot()
        #expect(snap.objects["services"]?.count == 2)
        #expect(snap.unserved["ipaddresspools.metallb.io"] != nil)
        #expect(await source.passes == 1)
        #expect(await source.staleGuesses == 0)
        #expect(await source.earlyReadsUsed == 1)
        #expect(t.commands.commands.count == 2)
    }

    /// Memory says MetalLB is installed; today's discovery says it is gone: the early read is thrown away,
    /// the snapshot is discovery's, and the memory is corrected.
    @Test func aStaleMemoryCostsOneReadAndNeverTheVerdict() async throws {
        let (t, source, memory) = setUp()
        memory.remember(["groups": [["name": "networking.istio.io", "versions": [["version": "v1beta1"]]],
                                    ["name": "metallb.io", "versions": [["version": "v1beta1"]]]]])
        let early = Self.get + ["services,gateways.v1beta1.networking.istio.io,ipaddresspools.v1beta1.metallb.io"] + Self.tail
        let pools = #"{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "metallb.io/v1beta1", "kind": "IPAddressPool", "metadata": {"name": "stale", "namespace": "metallb-system"}}]}"#
        t.commands.on(early, stdout: pools, times: 1)
        t.commands.on(Self.apis, stdout: groupList, times: 1)
        t.commands.on(Self.get + ["services,gateways.v1beta1.networking.istio.io"] + Self.tail, stdout: serviceList, times: 1)
        let snap = try await source.snapshot()
        #expect(snap.objects["ipaddresspools.metallb.io"] == nil)
        #expect(snap.unserved["ipaddresspools.metallb.io"] != nil)
        #expect(snap.objects["services"]?.count == 2)
        #expect(await source.staleGuesses == 1)
        #expect(await source.earlyReadsUsed == 0)
        #expect(memory.recall()?["groups"]?.arrayValue?.count == 1)
    }

    @Test func fileNamesAreStableAndSafe() {
        let a = DiscoveryMemory.fileName(server: "https://10.0.0.1:6443/path?x=1", context: "prod")
        #expect(a == DiscoveryMemory.fileName(server: "https://10.0.0.1:6443/path?x=1", context: "prod"))
        #expect(a != DiscoveryMemory.fileName(server: "https://10.0.0.1:6443/path?x=1", context: "staging"))
        #expect(!a.dropLast(5).contains("/") && a.hasSuffix(".json"))
    }

    @Test func aKubeconfigWithoutAServerRemembersNothing() {
        let t = TestContext(environment: ["HOME": "/home/op"])
        #expect(DiscoveryMemory(kube: KubeOptions(kubeconfig: "/missing"), context: t.context) == nil)
    }
}
