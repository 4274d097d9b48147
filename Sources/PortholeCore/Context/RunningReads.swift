import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process groups of kubectl reads running now. Each command runs in its own process group (so a timeout can
/// kill kubectl's grandchildren), which also keeps a terminal's Ctrl-C from reaching it: when porthole exits on a
/// signal, it stops these itself rather than leave reads running on after it. Writes are never listed (a signal
/// waits for a write, see `InterruptGuard`).
public final class RunningReads: @unchecked Sendable {
    public static let shared = RunningReads()

    private let lock = NSLock()
    private var groups: Set<Int32> = []

    func started(_ pid: Int32) { lock.lock(); groups.insert(pid); lock.unlock() }
    func finished(_ pid: Int32) { lock.lock(); groups.remove(pid); lock.unlock() }

    /// Kills every running read's process group (SIGKILL: a read changes nothing, and porthole exits right after).
    public func killAll() {
        lock.lock(); let all = groups; groups.removeAll(); lock.unlock()
        for pid in all { ProcessCommandRunner.killGroup(pid, signal: SIGKILL) }
    }
}
