import Foundation
import Logging
import Testing
import PortholeLab
import PortholeTestSupport

/// Ctrl-C (or SIGTERM) while porthole reads the cluster: porthole exits 130/143 and no kubectl it started keeps
/// running after it. kubectl runs in its own process group, which a terminal's Ctrl-C does not reach, so porthole
/// must stop its reads itself.
@Suite(.serialized) struct InterruptedReadTests {
    @Test(arguments: [(["--playbook", CrashSafetyTests.playbook], SIGINT), (["--playbook", CrashSafetyTests.playbook], SIGTERM),
                      (["check"], SIGINT), (["plan"], SIGINT), (["diagnose"], SIGTERM)])
    func aSignalDuringAReadLeavesNoKubectlRunning(command: [String], signal: Int32) throws {
        var options = LabOptions(scenario: try LabFixture.relocated("notes"))
        options.useRealPrometheus = false
        options.waitForOtherLab = 120
        options.apiLatency = 0.5
        var logger = Logger(label: "porthole.lab.test")
        logger.logLevel = .critical
        let lab = try LabInstance.start(options, logger: logger)
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup(); lab.stop() }
        let p = try BackgroundPorthole(command + ["--kubeconfig", lab.kubeconfigPath], harness: harness,
                                       environment: ["XDG_CACHE_HOME": harness.workDir + "/xdg-cache"])
        let deadline = Date().addingTimeInterval(30)
        while Self.kubectlProcesses(lab.kubeconfigPath).isEmpty, Date() < deadline, p.isRunning { Thread.sleep(forTimeInterval: 0.05) }
        let reading = Self.kubectlProcesses(lab.kubeconfigPath)
        #expect(!reading.isEmpty, "porthole never started kubectl")
        p.send(signal)
        let r = p.wait(timeout: 10)
        #expect(r.exitCode == 128 + signal, "\(r)")
        Thread.sleep(forTimeInterval: 0.5)
        #expect(Self.kubectlProcesses(lab.kubeconfigPath).isEmpty, "kubectl outlived porthole: \(Self.kubectlProcesses(lab.kubeconfigPath))")
    }

    /// Pids of running processes whose command line names `kubeconfig` (porthole passes it to every kubectl).
    static func kubectlProcesses(_ kubeconfig: String) -> [Int32] {
        let me = ProcessInfo.processInfo.processIdentifier
        return ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }.filter { pid in
            guard pid != me, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let args = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard let first = args.first, first.hasSuffix("kubectl"), args.contains(kubeconfig) else { return false }
            // A zombie awaiting its parent's wait is not running.
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            return !(stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? false)
        }
    }
}
