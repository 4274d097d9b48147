import Foundation
import Testing
import PortholeKube
@testable import PortholeCore

/// Secret values are dropped as the snapshot is read, so no later output can leak them.
@Suite struct SecretSnapshotTests {
    @Test func secretValuesAreReplacedAndKeysKept() throws {
        let secret = try JSONValue.parse("""
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "basic-auth", "namespace": "monitoring",
          "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\\"data\\":{\\"auth\\":\\"c2VjcmV0\\"}}"}},
         "data": {"auth": "c2VjcmV0LXZhbHVl"}, "stringData": {"password": "hunter2"}}
        """)
        let cleaned = SnapshotSource.withoutSecretValues(secret)
        #expect(cleaned["data"]?["auth"] == "<masked: secret value>")
        #expect(cleaned["stringData"]?["password"] == "<masked: secret value>")
        #expect(!cleaned.compactJSON.contains("c2VjcmV0"))
        #expect(!cleaned.compactJSON.contains("hunter2"))
        #expect(cleaned["metadata"]?["name"] == "basic-auth")
    }

    @Test func otherKindsAreUntouched() throws {
        let cm = try JSONValue.parse(#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "config"}, "data": {"config": "address-pools: []"}}"#)
        #expect(SnapshotSource.withoutSecretValues(cm) == cm)
    }
}
