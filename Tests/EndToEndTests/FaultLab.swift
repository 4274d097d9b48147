import Foundation
import Logging
import PortholeLab
import PortholeTestSupport

/// An in-process lab with injected faults, and the real binary run against it through real kubectl.
struct FaultLab {
    let lab: LabInstance
    let harness: KubectlHarness
    /// The relocated scenario copy, removed by `stop()`.
    let scenarioFile: String?

    /// `simulate: false` serves the scenario's objects without controllers or data plane (and without the
    /// machine-wide address lock), enough for `porthole check`; true runs the whole lab (labs then queue).
    init(_ faults: [String], scenario: String = "notes", simulate: Bool = false, seed: UInt64 = 1) throws {
        scenarioFile = simulate ? try Self.relocatedNotes() : nil
        var options = LabOptions(scenario: scenarioFile ?? scenario)
        options.useRealPrometheus = false
        options.simulate = simulate
        options.waitForOtherLab = 300
        options.faults = try faults.map(LabFault.parse)
        options.faultSeed = seed
        var logger = Logger(label: "porthole.lab.faults")
        logger.logLevel = .critical
        lab = try LabInstance.start(options, logger: logger)
        harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
    }

    /// The notes scenario moved to addresses of its own (127.x.61.y), so these labs neither wait for nor
    /// block the other suites' notes labs on the machine-wide address lock.
    static let node = "127.204.61.185"

    /// The lab addresses of `relocatedNotes(block:)`.
    /// Every address has `block` as its third octet: labs of `LabFixture` keep the shipped scenarios' third
    /// octets and move only the second one, so they can never take these (a taken address would make this lab
    /// move elsewhere, away from the addresses the tests dial).
    static func addresses(block: Int) -> [String] { ["127.\(block).\(block).5", "127.204.\(block).185", "127.195.\(block).185"] }

    static func relocatedNotes(block: Int = 61) throws -> String {
        let text = try String(contentsOfFile: PortholeBinary.repository + "/scenarios/notes.yaml", encoding: .utf8)
            .replacingOccurrences(of: "127.10.0.", with: "127.\(block).\(block).")
            .replacingOccurrences(of: "127.204.7.185", with: "127.204.\(block).185")
            .replacingOccurrences(of: "127.195.219.185", with: "127.195.\(block).185")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-faults-\(UUID().uuidString.prefix(8)).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func porthole(_ args: [String], timeout: Double = 120) throws -> CommandOutcome {
        try PortholeBinary.run(args + ["--kubeconfig", lab.kubeconfigPath], harness: harness, timeout: timeout)
    }

    /// How many requests were answered for paths starting with `prefix`.
    func requests(to prefix: String) -> Int { lab.requestLog.entries.filter { $0.path.hasPrefix(prefix) }.count }

    func stop() {
        lab.stop()
        harness.cleanup()
        if let f = scenarioFile { try? FileManager.default.removeItem(atPath: f) }
    }
}

extension CommandOutcome {
    /// stdout without its first line (which names the lab's random port).
    var findingsText: String { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n") }
}
