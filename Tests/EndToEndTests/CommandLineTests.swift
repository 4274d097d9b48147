import Foundation
import Testing
import PortholeNet
import PortholeTestSupport

/// The built binary, run with pipes: stdout, stderr and exit codes as an operator sees them.
@Suite struct CommandLineTests {
    let harness: KubectlHarness

    init() throws { harness = try KubectlHarness(kubeconfig: "/nonexistent/kubeconfig") }

    func porthole(_ args: [String], env: [String: String] = [:]) throws -> CommandOutcome {
        try PortholeBinary.run(args, harness: harness, environment: env)
    }

    @Test func listsTheSevenPlaybooks() throws {
        let r = try porthole(["playbooks", "list"])
        #expect(r.exitCode == 0, "\(r)")
        let ids = r.stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        #expect(ids == ["gateway-api", "ingressgateway-port", "istio-gateway", "loadbalancer-metallb", "nginx-ingress", "nodeport", "port-forward"])
        #expect(r.stderr.isEmpty)
    }

    /// A `--lab` run's changes end with its lab: the next lab run lists only its own pending undos, and none
    /// are left in the per-context journal of the state directory.
    @Test func labRunsDoNotInheritEachOthersPendingUndos() throws {
        for _ in 0..<2 {
            let r = try porthole(["--lab", "istio-helm", "--playbook", "nodeport", "--yes"])
            #expect(r.exitCode == 0, "\(r)")
            #expect(r.stdout.components(separatedBy: "nodeport/node-port:").count == 2, "\(r.stdout)")
            #expect(r.stdout.contains("nothing is left to undo"), "\(r.stdout)")
        }
        let state = harness.workDir + "/state/porthole"
        let journals = ((try? FileManager.default.contentsOfDirectory(atPath: state)) ?? []).filter { $0.hasPrefix("journal-") }
        #expect(journals.isEmpty, "\(journals)")
    }

    @Test func theShippedPlaybooksValidate() throws {
        let dir = PortholeBinary.repository + "/playbooks"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".yaml") }.sorted().map { "\(dir)/\($0)" }
        #expect(files.count == 7)
        let r = try porthole(["playbooks", "validate"] + files)
        #expect(r.exitCode == 0, "\(r)")
        #expect(r.stdout == files.map { "\($0): ok\n" }.joined())
    }

    @Test func showPrintsInputsAndSteps() throws {
        let r = try porthole(["playbooks", "show", "istio-gateway"])
        #expect(r.exitCode == 0, "\(r)")
        #expect(r.stdout.contains("Inputs (--var name=value):"))
        #expect(r.stdout.contains("Steps:\n  1. "))
    }

    static let malformed: [(name: String, text: String, expected: String)] = [
        ("syntax", "id: bad\ntitle: [Bad\nsteps: []\n", ":3:6: error: YAML syntax error: did not find expected ',' or ']'"),
        ("unknown-key", "id: bad\ntitle: Bad\nstep: []\n", ":3:1: error: at `step`: unknown key `step`"),
        ("wrong-type", "id: bad\ntitle: Bad\nsteps:\n  - id: s\n    title: S\n    probes: {id: p}\n    outcomes: [{verdict: pass}]\n",
         ":6:13: error: at `steps[0].probes`: expected a list, found a mapping"),
        ("duplicate-step", "id: bad\ntitle: Bad\nsteps:\n  - {id: s, title: S, outcomes: [{verdict: pass}]}\n  - {id: s, title: T, outcomes: [{verdict: pass}]}\n",
         ":5:10: error: at `steps[1].id`: duplicate step id `s`"),
        ("unknown-next", "id: bad\ntitle: Bad\nsteps:\n  - id: s\n    title: S\n    outcomes:\n      - {verdict: fail, next: {step: nowhere, reason: r}}\n",
         ":7:38: error: at `steps[0].outcomes[0].next.step`: `next` names no step `nowhere`"),
        ("undefined-variable", "id: bad\ntitle: Bad\nsteps:\n  - id: s\n    title: S\n    probes: [{id: p, tcp: {host: \"${nodeIP}\", port: 1}}]\n    outcomes: [{verdict: pass}]\n",
         ":6:34: error: at `steps[0].probes[0].tcp.host`: variable `${nodeIP}` is neither an input nor a capture of this or an earlier step"),
    ]

    @Test(arguments: malformed.map(\.name))
    func malformedPlaybookExits2WithItsLocation(name: String) throws {
        let c = Self.malformed.first { $0.name == name }!
        let file = "\(harness.workDir)/\(name).yaml"
        try c.text.write(toFile: file, atomically: true, encoding: .utf8)
        let validated = try porthole(["playbooks", "validate", file])
        #expect(validated.exitCode == 2, "\(validated)")
        #expect(validated.stderr.hasPrefix(file + c.expected), "\(validated)")
        let run = try porthole(["--playbook", file])
        #expect(run.exitCode == 2, "\(run)")
        #expect(run.stderr.hasPrefix(file + c.expected), "\(run)")
        #expect(run.stdout.isEmpty)
    }

    @Test func unreachableServerExits3NamingItWithinTheProbeTimeout() throws {
        let k = try PortholeBinary.kubeconfig(server: "http://127.0.0.1:1", in: harness.workDir)
        let start = Date()
        let r = try porthole(["--playbook", "istio-gateway", "--kubeconfig", k])
        let elapsed = Date().timeIntervalSince(start)
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains("http://127.0.0.1:1"), "\(r)")
        #expect(r.stderr.contains("unreachable"))
        // The 5 s preflight ends it, not the 10 s snapshot deadline nor kubectl's own; the rest is margin for a loaded machine.
        #expect(elapsed < 9, "took \(elapsed)s")
    }

    @Test func silentServerExits3WithinTheProbeTimeoutPlusASecond() throws {
        let (hole, filler) = try TCPListener.blackhole(host: "127.0.0.1", port: 0)
        defer { hole.close(); filler.close() }
        let server = "http://127.0.0.1:\(hole.port)"
        let k = try PortholeBinary.kubeconfig(server: server, in: harness.workDir)
        let start = Date()
        let r = try porthole(["--playbook", "istio-gateway", "--kubeconfig", k])
        let elapsed = Date().timeIntervalSince(start)
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains(server), "\(r)")
        // The 5 s preflight ends it, not the 10 s snapshot deadline nor kubectl's own; the rest is margin for a loaded machine.
        #expect(elapsed < 9, "took \(elapsed)s")
    }

    /// A kubeconfig whose login plugin is missing: kubectl says "Unable to connect", but the server was never asked,
    /// so porthole says credentials, naming the plugin, not an unreachable cluster.
    @Test func aFailingCredentialPluginIsNamedAsSuch() throws {
        let k = "\(harness.workDir)/exec-plugin.yaml"
        try """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
            users:
              - name: u
                user:
                  exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: porthole-missing-auth-plugin, interactiveMode: Never}
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """.write(toFile: k, atomically: true, encoding: .utf8)
        let r = try porthole(["check", "--kubeconfig", k])
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains("could not get credentials") && r.stderr.contains("porthole-missing-auth-plugin"), "\(r)")
        #expect(!r.stderr.contains("unreachable"), "\(r)")
    }

    @Test func invalidKubeconfigExits3() throws {
        let k = "\(harness.workDir)/broken.yaml"
        try "apiVersion: v1\nkind: Config\nclusters: {this is: [not a kubeconfig\n".write(toFile: k, atomically: true, encoding: .utf8)
        let r = try porthole(["--playbook", "nodeport", "--kubeconfig", k])
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains("kubeconfig"), "\(r)")
    }

    @Test func missingKubectlExits3() throws {
        let k = try PortholeBinary.kubeconfig(server: "http://127.0.0.1:1", in: harness.workDir)
        let r = try porthole(["--playbook", "nodeport", "--kubeconfig", k], env: ["PATH": "/nonexistent"])
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr == "porthole: error: kubectl is not installed or not on PATH (install kubectl, then run porthole again)\n")
    }

    @Test func usageErrorsExit2() throws {
        let bogus = try porthole(["--bogus"])
        #expect(bogus.exitCode == 2)
        #expect(bogus.stderr.contains("Unknown option '--bogus'"))
        let badVar = try porthole(["--playbook", "nodeport", "--var", "nosuch=1"])
        #expect(badVar.exitCode == 2, "\(badVar)")
        #expect(badVar.stderr.contains("playbook nodeport has no input `nosuch`"))
        let unknown = try porthole(["--playbook", "no-such-playbook"])
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr.contains("no playbook `no-such-playbook`"))
    }

    @Test func helpDocumentsExitCodes() throws {
        let r = try porthole(["--help"])
        #expect(r.exitCode == 0)
        #expect(r.stdout.contains("Exit codes: 0 goal reached; 1 goal not reached; 2 usage or playbook error;"))
    }
}
