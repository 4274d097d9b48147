import Foundation
import Testing
import PortholeLab
import PortholeTestSupport

extension LabTests {
/// Gateway API mistakes that are nobody's playbook, read by `porthole check` through real kubectl on the lab:
/// a class no controller owns, route hostnames no listener accepts, a backendRef to a port the Service lacks.
@Suite struct GatewayAPIMistakesTests {
    @Test func checkNamesEachMistakeOnce() throws {
        let lab = try LabFixture.start("gateway-api+gateway-api-mistakes")
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        // What kubectl shows, as on a real cluster: Istio's class exists, the nginx Gateway waits for a controller.
        let classes = try harness.run(["get", "gatewayclasses", "-o", "jsonpath={.items[*].metadata.name}"])
        #expect(classes.stdout == "istio", "\(classes)")
        let waiting = try harness.run(["-n", "monitoring", "get", "gateways.gateway.networking.k8s.io", "web",
                                       "-o", "jsonpath={.status.conditions[0].message}"])
        #expect(waiting.stdout == "Waiting for controller", "\(waiting)")
        let byName = try harness.run(["-n", "istio-system", "get", "httproute", "by-name",
                                      "-o", #"jsonpath={.status.parents[0].conditions[?(@.type=="Accepted")].reason}"#])
        #expect(byName.stdout == "NoMatchingListenerHostname", "\(byName)")

        let r = try PortholeBinary.run(["check", "--kubeconfig", lab.kubeconfigPath, "--format", "json"], harness: harness)
        #expect(r.exitCode == 1, "\(r)")
        let found = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let findings = (found?["findings"] as? [[String: Any]]) ?? []
        func objects(_ code: String) -> [String] {
            findings.filter { $0["code"] as? String == code }.compactMap { ($0["object"] as? String) ?? (($0["object"] as? [String: Any]).map { "\($0["namespace"] ?? "")/\($0["name"] ?? "")" }) }
        }
        #expect(objects("PH0607").count == 1 && objects("PH0607").first?.contains("web") == true, "\(r.stdout)")
        #expect(objects("PH0608").count == 1 && objects("PH0608").first?.contains("by-name") == true, "\(r.stdout)")
        #expect(objects("PH0609").count == 1 && objects("PH0609").first?.contains("wrong-port") == true, "\(r.stdout)")
        // The waiting Gateway's Pending conditions are PH0607's to explain, not PH0604's.
        #expect(!objects("PH0604").contains { $0.contains("web") && !$0.contains("by-name") }, "\(r.stdout)")
    }
}
}
