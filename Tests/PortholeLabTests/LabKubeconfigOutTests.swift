import Foundation
import Logging
import Testing
import PortholeLab

/// `lab serve --kubeconfig-out PATH` that cannot be written says why in the system's words, not as a Foundation error dump.
@Suite(.serialized) struct LabKubeconfigOutTests {
    @Test(arguments: [("", "Is a directory"), ("/missing/dir/kubeconfig", "No such file or directory")])
    func anUnwritableKubeconfigIsNamedWithItsReason(suffix: String, reason: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-kcout-\(UUID().uuidString.prefix(6))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var options = LabOptions(scenario: "notes")
        options.useRealPrometheus = false
        options.waitForOtherLab = 120
        options.kubeconfigOut = dir + suffix
        var logger = Logger(label: "lab-test")
        logger.logLevel = .critical
        do {
            let lab = try LabInstance.start(options, logger: logger)
            lab.stop()
            Issue.record("the lab started with an unwritable kubeconfig \(dir + suffix)")
        } catch {
            let text = "\(error)"
            #expect(text.contains("cannot write the kubeconfig \(dir + suffix): \(reason)"), "\(text)")
            #expect(!text.contains("NSCocoaErrorDomain"), "\(text)")
        }
    }
}
