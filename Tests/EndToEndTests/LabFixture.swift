import Foundation
import Logging
import PortholeLab

/// In-process labs for the safety tests: the test keeps the lab's `RequestLog` and `ObjectStore`
/// while the real binary (or the engine) talks to it through real kubectl.
enum LabFixture {
    /// Starts a shipped scenario with the built-in Prometheus stand-in. Labs on the same addresses queue
    /// (120 s) instead of failing, so these tests can run beside other lab tests.
    static func start(_ scenario: String) throws -> LabInstance {
        var options = LabOptions(scenario: scenario)
        options.useRealPrometheus = false
        options.waitForOtherLab = 120
        var logger = Logger(label: "porthole.lab.test")
        logger.logLevel = .critical
        return try LabInstance.start(options, logger: logger)
    }

    /// Every shipped scenario (`scenarios/*.yaml`), by name.
    static var scenarios: [String] { names(in: "scenarios") }

    /// Every shipped playbook (`playbooks/*.yaml`), by id.
    static var playbooks: [String] { names(in: "playbooks") }

    private static func names(in directory: String) -> [String] {
        let dir = PortholeBinary.repository + "/" + directory
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }
}
