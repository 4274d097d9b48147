import Foundation
import Testing
import PortholeLab
import PortholeTestSupport

/// Planted secrets through every output: text, JSON, markdown transcript, the undo journal, debug logs.
@Suite struct SecretsTests {
    static let playbook = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/secrets-corpus.yaml").path

    @Test func noPlantedSecretLeavesPortholeInAnyOutput() throws {
        let l = try FaultLab([])
        defer { l.stop() }
        SecretsCorpus.plant(in: l.lab)
        let kubeconfig = try SecretsCorpus.kubeconfig(server: l.lab.apiURL, in: l.harness.workDir)
        let api = String(l.lab.apiURL.dropFirst("http://".count))
        let transcript = l.harness.workDir + "/transcript.md"
        let vars = ["--var", "dbPassword=\(SecretsCorpus.inputPassword)", "--var", "api=\(api)",
                    "--var", "basicPassword=\(SecretsCorpus.basicPassword)", "--var", "bearer=\(SecretsCorpus.headerToken)"]
        let base = ["--playbook", Self.playbook, "--kubeconfig", kubeconfig] + vars
        let text = try PortholeBinary.run(base + ["--yes", "--verbose", "--transcript", transcript], harness: l.harness)
        #expect(text.exitCode == 0, "\(text)")
        let json = try PortholeBinary.run(base + ["--format", "json", "--verbose"], harness: l.harness)
        #expect(json.exitCode == 0, "\(json)")
        let markdown = (try? String(contentsOfFile: transcript, encoding: .utf8)) ?? ""
        let journals = try Self.files(under: l.harness.workDir + "/state")
        #expect(!journals.isEmpty, "no journal written")
        let outputs: [(String, String)] = [("text stdout", text.stdout), ("text stderr (debug log)", text.stderr),
                                           ("json stdout", json.stdout), ("json stderr (debug log)", json.stderr),
                                           ("markdown transcript", markdown)] + journals
        for (name, content) in outputs {
            #expect(SecretsCorpus.leaks(in: content).isEmpty, "\(name) leaks: \(SecretsCorpus.contexts(in: content).joined(separator: "\n"))")
        }
        // The masking says what it masked, where a reader would otherwise see the value.
        #expect(text.stdout.contains("<masked: "), "\(text.stdout)")
        #expect(json.stdout.contains("<masked: "))
        #expect(markdown.contains("<masked: "))
        // The planted write happened, and undo from the masked journal restores the Service exactly: the masked
        // annotations it never wrote come back from the live object, the one it wrote goes away.
        let ref = ObjectRef(ResourceKey(group: "", resource: "services"), namespace: "istio-system", name: "prometheus")
        #expect(l.lab.store.get(ref)?["metadata"]?["annotations"]?["example.com/new-password"]?.stringValue == SecretsCorpus.inputPassword)
        let undo = try PortholeBinary.run(["undo", "--kubeconfig", kubeconfig, "--verbose"], harness: l.harness)
        #expect(undo.exitCode == 0, "\(undo)")
        #expect(SecretsCorpus.leaks(in: undo.stdout + undo.stderr).isEmpty, "\(SecretsCorpus.contexts(in: undo.stdout + undo.stderr))")
        let annotations = l.lab.store.get(ref)?["metadata"]?["annotations"]
        #expect(annotations?["example.com/new-password"] == nil, "\(String(describing: annotations))")
        #expect(annotations?["example.com/db-password"]?.stringValue == SecretsCorpus.annotationPassword)
        #expect(annotations?["example.com/backend"]?.stringValue?.contains(SecretsCorpus.urlPassword) == true)
    }

    static func files(under dir: String) throws -> [(String, String)] {
        guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
        return e.compactMap { $0 as? String }.compactMap { rel in
            let path = dir + "/" + rel
            return (try? String(contentsOfFile: path, encoding: .utf8)).map { ("journal \(rel)", $0) }
        }
    }
}
