import Foundation
import Logging
import PortholeLab

/// In-process labs for the safety tests: the test keeps the lab's `RequestLog` and `ObjectStore`
/// while the real binary (or the engine) talks to it through real kubectl.
enum LabFixture {
    /// Starts a shipped scenario with the built-in Prometheus stand-in. Labs on the same addresses queue
    /// (120 s) instead of failing, so these tests can run beside other lab tests.
    static func start(_ scenario: String) throws -> LabInstance {
        var options = LabOptions(scenario: try relocated(scenario))
        options.useRealPrometheus = false
        options.waitForOtherLab = 120
        var logger = Logger(label: "porthole.lab.test")
        logger.logLevel = .critical
        return try LabInstance.start(options, logger: logger)
    }

    /// A copy of the shipped scenario on other loopback addresses (second octet moved by an offset fixed
    /// per test process), so these labs run beside a `lab serve` of the same scenario instead of waiting.
    static func relocated(_ scenario: String) throws -> String {
        let text = try Self.text(scenario)
        let regex = try NSRegularExpression(pattern: #"\b127\.([0-9]{1,3})\."#)
        var out = text
        for m in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
            let octet = Int((text as NSString).substring(with: m.range(at: 1)))!
            out = (out as NSString).replacingCharacters(in: m.range, with: "127.\((octet + offset) % 254 + 1).")
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-safety-\(offset)-\(scenario).yaml").path
        try out.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A shipped scenario's text; `notes+earlier-attempt` is `notes` with `Fixtures/earlier-attempt.yaml` appended.
    static func text(_ scenario: String) throws -> String {
        let parts = scenario.split(separator: "+").map(String.init)
        var text = try String(contentsOfFile: "\(PortholeBinary.repository)/scenarios/\(parts[0]).yaml", encoding: .utf8)
        for extra in parts.dropFirst() {
            let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
            text += "\n" + (try String(contentsOfFile: "\(dir)/\(extra).yaml", encoding: .utf8))
        }
        return text
    }

    static let offset = 17 + Int(ProcessInfo.processInfo.processIdentifier % 61)

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
