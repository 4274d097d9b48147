import Foundation
import Logging
import Testing
import PortholeCore
import PortholeKube
import PortholeLab
import PortholeTestSupport

/// Every change porthole makes can be undone exactly. Each shipped playbook runs on each shipped scenario
/// with every fix approved; the lab's objects are captured just before each write. Then `Undoer` undoes
/// the writes one at a time, newest first, and after undoing fix k the lab must equal the capture taken
/// before fix k (apart from server bookkeeping and controller-owned status).
///
/// The fixes come from the loaded playbooks, so a new fix is covered without editing this test.
@Suite(.serialized) struct UndoFidelityTests {
    /// One approved fix and the lab as it was just before its write.
    struct Approval: Sendable {
        var fix: String
        var before: ClusterState
    }

    static func library() throws -> [Playbook] {
        try PlaybookLibrary(environment: ["PORTHOLE_PLAYBOOKS": PortholeBinary.repository + "/playbooks"], files: LocalFileSystem(),
                            findings: FindingsService.builtIn.catalog).all()
    }

    /// `playbook/fix` of every writing fix the playbooks declare.
    static func writingFixes(_ playbooks: [Playbook]) -> Set<String> {
        Set(playbooks.flatMap { p in p.steps.flatMap(\.fixes).filter(\.writes).map { "\(p.id)/\($0.id)" } })
    }

    // 91 lab runs of a few seconds each (slower on a loaded machine); a hang must fail the test, not stall the suite.
    @Test(.timeLimit(.minutes(30))) func everyProposedWritingFixIsUndoneExactly() async throws {
        let playbooks = try Self.library()
        var proposed = Set<String>(), covered = Set<String>()
        var failures: [String] = []
        // The shipped scenarios, and notes with the earlier attempt's objects (fixes that delete them).
        var jobs: [(Playbook, String, [String: String], [String: String], Bool)] = []
        for scenario in LabFixture.scenarios + ["notes+earlier-attempt"] {
            for playbook in playbooks {
                for inputs in Self.variants(playbook) { jobs.append((playbook, scenario, inputs, [:], false)) }
            }
        }
        // Situations no shipped scenario holds, run only with the playbooks they are for (UndoFidelitySituations.swift).
        for s in Self.situations {
            for id in s.playbooks {
                guard let playbook = playbooks.first(where: { $0.id == id }) else { failures.append("situation \(s.scenario): no playbook \(id)"); continue }
                jobs.append((playbook, s.scenario, s.inputs, s.addresses, true))
            }
        }
        // Each audit has its own lab (labs of one scenario move to free loopback blocks), and most of its time
        // is spent waiting on kubectl and the lab: a few at once, not one after another.
        try await withThrowingTaskGroup(of: Result.self) { group in
            var next = 0
            func add() {
                guard next < jobs.count else { return }
                let (playbook, scenario, inputs, addresses, mustVerify) = jobs[next]
                next += 1
                group.addTask {
                    do { return try await Self.audit(playbook, on: scenario, inputs: inputs, addresses: addresses, mustVerify: mustVerify) } catch {
                        return Result(failures: ["\(playbook.id) \(inputs.keys.sorted()) on \(scenario): \(error)"])
                    }
                }
            }
            for _ in 0..<Self.concurrentAudits { add() }
            while let r = try await group.next() {
                proposed.formUnion(r.proposed)
                covered.formUnion(r.covered)
                failures += r.failures
                add()
            }
        }
        let declared = Self.writingFixes(playbooks)
        print("undo fidelity: \(covered.count) fixes covered, \(proposed.count) proposed by some scenario, \(declared.count) writing fixes declared")
        print("undo fidelity: never proposed by a shipped scenario or a situation: \(declared.subtracting(proposed).sorted())")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
        #expect(covered.count >= proposed.count, "proposed but not covered: \(proposed.subtracting(covered).sorted())")
        #expect(!covered.isEmpty)
    }

    static let concurrentAudits = 4

    /// Values for optional inputs (empty by default) that open more of a playbook's branches. Keyed by
    /// input name, not by fix: a playbook gains a variant run whenever it declares one of these inputs.
    static let optionalInputSamples = [
        "operatorCIDR": "127.0.0.1/32",
        "nodePort": "30999",
        "basicAuthHtpasswd": "ops:$2y$05$6q3C0T1xQ9b8u4wz6mJj8eQ2kJ2e0bqkZVx9Wm9v3H2dE8aJ1yq3S",
    ]

    /// The default run, and one with every optional input that has a sample set. A playbook that starts a local
    /// tunnel gets a free `localPort` in each (`audit` picks it just before the run): audits run side by side, and
    /// 9090 may be taken on the machine.
    static func variants(_ p: Playbook) -> [[String: String]] {
        var sample: [String: String] = [:]
        for i in p.inputs where (i.defaultValue ?? "").isEmpty { sample[i.name] = optionalInputSamples[i.name] }
        var runs = sample.isEmpty ? [[String: String]()] : [[:], sample]
        if p.inputs.contains(where: { $0.name == "localPort" }) {
            for i in runs.indices { runs[i]["localPort"] = Self.freeLocalPort }
        }
        return runs
    }

    /// Stands for a port free when the audit starts (not when the job list is made: labs take ports meanwhile).
    static let freeLocalPort = "<free>"

    struct Result {
        var proposed: Set<String> = []
        var covered: Set<String> = []
        var failures: [String] = []
    }

    /// Runs one playbook on a fresh lab approving every fix, then undoes and compares, newest first.
    /// `addresses` are more inputs, written in the scenario's own addresses and moved to where this lab serves them.
    /// With `mustVerify` (a situation built for its fixes) a written fix whose verify failed is a failure too, and so
    /// is a run that ends short of its goal: the fixes must work together, not only undo cleanly.
    static func audit(_ playbook: Playbook, on scenario: String, inputs: [String: String], addresses: [String: String] = [:],
                      mustVerify: Bool = false) async throws -> Result {
        var inputs = inputs
        if inputs["localPort"] == freeLocalPort { inputs["localPort"] = String(try TunnelTests.freePort()) }
        let lab = try LabFixture.start(scenario)
        defer { lab.stop() }
        inputs.merge(try LabFixture.addresses(addresses, scenario: scenario, lab: lab)) { given, _ in given }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        var logger = Logger(label: "porthole.test")
        logger.logLevel = .critical
        let ctx = PortholeContext.live(logger: logger, environment: harness.environment)
        let journal = UndoJournal(path: harness.workDir + "/journal.jsonl", files: LocalFileSystem())
        let approvals = Locked<[Approval]>([])
        let consent = ConsentPolicy.ask { proposal in
            approvals.mutate { $0.append(Approval(fix: proposal.fix.id, before: ClusterState(lab.store))) }
            return true
        }
        let kube = KubeOptions(kubeconfig: lab.kubeconfigPath)
        let options = RunOptions(kube: kube, consent: consent, journalPath: journal.path)
        var run = PlaybookRun(playbook: playbook, inputs: inputs, cluster: ClusterInfo(), options: options, context: ctx, findings: .builtIn)
        _ = try await run.runToEnd()
        // A tunnel the audit started must not outlive it, whatever goes wrong below (identity checked first).
        defer {
            for h in ((try? journal.records()) ?? []).compactMap(\.process) where (try? ctx.processes.isRunning(h)) == true { killpg(h.pid, SIGKILL) }
        }
        print("undo fidelity: \(playbook.id) \(inputs.keys.sorted()) on \(scenario): approved \(approvals.value.map(\.fix)); \(run.session.outcome?.summary ?? "not finished")")

        var result = Result()
        let where_ = "\(playbook.id) \(inputs.keys.sorted()) on \(scenario)"
        // Advice fixes (writes: false) are approved too, so their verify can wait for the operator; they write nothing to undo.
        let writing = Set(playbook.steps.flatMap(\.fixes).filter(\.writes).map(\.id))
        let done = approvals.value.filter { writing.contains($0.fix) }
        result.proposed = Set(done.map { "\(playbook.id)/\($0.fix)" })
        for f in run.session.steps.flatMap(\.fixes) where mustVerify && f.writes && f.decision == .applied && f.verify?.passed != true {
            result.failures.append("\(where_): \(f.fix) was applied but its verify did not pass: \(f.verify.map { "\($0.attempts) attempts, \($0.waited)s" } ?? "not run")")
        }
        if mustVerify && run.session.outcome?.goalReached != true {
            result.failures.append("\(where_): the goal was not reached: \(run.session.outcome?.summary ?? "not finished")")
        }
        let intents = try journal.records().filter { $0.phase == .intent }
        guard intents.map(\.fix) == done.map(\.fix) else {
            result.failures.append("\(where_): journal intents \(intents.map(\.fix)) do not match the approvals \(done.map(\.fix))")
            return result
        }
        let undoer = Undoer(kubectl: Kubectl(options: kube, context: ctx), journal: journal)
        let drifts = Locked<[String]>([])
        // Objects a fix deleted come back with a new uid, and keep it while older fixes are undone.
        var recreated = Set<String>()
        while let newest = try journal.pending().last {
            let k = intents.firstIndex { $0.id == newest.id }!
            let fix = "\(playbook.id)/\(done[k].fix)"
            let outcomes = try await undoer.undo(count: 1) { _, diff in drifts.mutate { $0.append(diff) }; return true }
            guard outcomes.first?.status == .undone else {
                result.failures.append("\(where_): undo of \(fix) did not succeed: \(outcomes)")
                return result
            }
            for d in drifts.value { result.failures.append("\(where_): before undoing \(fix), drift: \(d)") }
            // A background fix's undo is a stopped process, not a cluster state.
            if let h = newest.result?.process, try ctx.processes.isRunning(h) {
                result.failures.append("\(where_): after undoing \(fix), its process pid \(h.pid) still runs")
            }
            drifts.mutate { $0.removeAll() }
            recreated.formUnion(newest.targets.filter { $0.prior != nil && $0.post == nil }.map { "\($0.namespace ?? "")/\($0.name)" })
            let diff = ClusterState.settle(lab.store, to: done[k].before, recreated: recreated)
            if diff.isEmpty { result.covered.insert(fix) } else {
                result.failures.append("\(where_): after undoing \(fix) the lab differs from before it:\n" + diff.joined(separator: "\n"))
            }
        }
        return result
    }
}

