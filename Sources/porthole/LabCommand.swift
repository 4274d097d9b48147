import ArgumentParser
import Foundation
import Logging
import PortholeCore
import PortholeLab
import PortholeNet

/// `porthole lab serve`: runs a simulated cluster until SIGINT/SIGTERM, for kubectl or another porthole.
struct LabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "The built-in lab: a simulated cluster that real kubectl talks to.",
        subcommands: [LabServe.self]
    )
}

struct LabServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a lab scenario until interrupted; prints the kubeconfig path and one ready line."
    )

    @Option(name: .long, help: "A shipped scenario (notes, metallb-crds, istio-helm, ingress-nginx, gateway-api) or a scenario file.")
    var scenario: String = "notes"

    @Option(name: .customLong("kubeconfig-out"), help: "Write the lab's kubeconfig here (default: a temporary file).")
    var kubeconfigOut: String?

    @OptionGroup var lab: LabTuning

    @Flag(name: .long, help: "Log the lab's activity to stderr.")
    var verbose = false

    func run() async throws {
        let logger = labLogger(verbose: verbose)
        var options = try lab.options(scenario: scenario)
        options.kubeconfigOut = kubeconfigOut
        let instance = try startLab(options, logger: logger)
        let stopper = LabStopper(instance)
        print(instance.kubeconfigPath)
        print("lab \(instance.topology.name) ready at \(instance.apiURL); Prometheus: \(instance.backendDescription); export KUBECONFIG=\(instance.kubeconfigPath)")
        fflush(nil)  // every C stream: the kubeconfig path must reach a pipe now
        let signal = await stopper.waitForSignal()
        instance.stop()
        StandardStreams.write("porthole: lab stopped (\(signal))\n", to: STDERR_FILENO)
    }
}

/// Options shared by `lab serve` and `--lab`.
struct LabTuning: ParsableArguments {
    @Option(name: .customLong("api-latency"), help: "Delay every API response (e.g. 100ms) to simulate a remote cluster.")
    var apiLatency: String?

    @Flag(name: .customLong("no-prometheus"), help: "Answer Prometheus traffic with the built-in stand-in even when prometheus is installed.")
    var noPrometheus = false

    @Option(name: .customLong("fault"), help: "Inject a fault: 500|503|429|stall=2s|reset|bad-json|html|drop=ADDRESS, then ,share=0.5,path=/apis,method=GET,count=N,retry-after=S,after=S (repeatable).")
    var faults: [String] = []

    @Option(name: .customLong("fault-seed"), help: "Seed for the faults' shares (the same seed replays the same requests hit).")
    var faultSeed: UInt64 = 1

    func options(scenario: String) throws -> LabOptions {
        var o = LabOptions(scenario: scenario)
        o.useRealPrometheus = !noPrometheus
        do { o.faults = try faults.map(LabFault.parse) } catch let e as LabFaultError { throw ValidationError(e.description) }
        o.faultSeed = faultSeed
        // Tests run labs one after another on the same addresses: let them queue instead of failing.
        o.waitForOtherLab = ProcessInfo.processInfo.environment["PORTHOLE_LAB_WAIT"].flatMap(Double.init) ?? 0
        if let text = apiLatency {
            guard let seconds = parseDuration(text) else {
                throw ValidationError("--api-latency takes a duration such as 100ms or 1s, not '\(text)'")
            }
            o.apiLatency = seconds
        }
        return o
    }
}

/// Starts a lab, turning its errors into porthole's exit codes (bad scenario: 2; cannot listen: 3).
func startLab(_ options: LabOptions, logger: Logger) throws -> LabInstance {
    do {
        return try LabInstance.start(options, logger: logger)
    } catch let e as LabError {
        StandardStreams.write("porthole: \(e.description)\n", to: STDERR_FILENO)
        switch e {
        case .scenario, .rejectedObject: throw ExitCode(ExitStatus.usage.rawValue)
        case .kubeconfig, .listen, .busy: throw ExitCode(ExitStatus.environment.rawValue)
        }
    }
}

func labLogger(verbose: Bool) -> Logger {
    var logger = Logger(label: "porthole.lab") { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = verbose ? .debug : .warning
    return logger
}

/// Stops a lab when the process gets SIGINT or SIGTERM, so no listener or child process outlives porthole.
final class LabStopper: @unchecked Sendable {
    private let instance: LabInstance
    private var sources: [DispatchSourceSignal] = []

    init(_ instance: LabInstance) { self.instance = instance }

    /// Suspends until SIGINT or SIGTERM; returns its name.
    func waitForSignal() async -> String {
        await withCheckedContinuation { (k: CheckedContinuation<String, Never>) in
            let once = Once()
            for (sig, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
                signal(sig, SIG_IGN)
                let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                s.setEventHandler { if once.first() { k.resume(returning: name) } }
                s.resume()
                sources.append(s)
            }
        }
    }

    /// For `--lab` runs: on SIGINT/SIGTERM stop the lab and exit 130/143 (once a write in progress is journaled).
    func stopOnSignal() {
        InterruptGuard.shared.install()
        InterruptGuard.shared.onInterrupt { [instance] in instance.stop() }
    }
}

/// True the first time only.
final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    func first() -> Bool {
        lock.lock(); defer { lock.unlock() }
        if done { return false }
        done = true
        return true
    }
}

/// `--lab` takes an optional scenario: a bare `--lab` (last, or followed by another option) means `notes`.
enum LabArgument {
    static func defaulted(_ args: [String]) -> [String] {
        var out: [String] = []
        for (i, a) in args.enumerated() {
            out.append(a)
            if a == "--lab", i + 1 == args.count || args[i + 1].hasPrefix("-") { out.append("notes") }
        }
        return out
    }
}
