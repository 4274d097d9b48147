import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A machine-wide lock held by every simulating lab while it runs.
///
/// A scenario's data plane binds fixed loopback addresses (127.204.7.185:31380 ...), so two labs at once
/// would answer for each other. The second lab waits up to its budget, then fails naming the holder.
/// Held through an open file description with flock, so a crashed lab releases it with its process.
final class LabAddressLock: @unchecked Sendable {
    private var fd: Int32

    /// The lock file: `$PORTHOLE_LAB_LOCK`, else `<tmp>/porthole-lab.lock`.
    static var path: String {
        ProcessInfo.processInfo.environment["PORTHOLE_LAB_LOCK"]
            ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("porthole-lab.lock")
    }

    /// Takes the lock, waiting up to `wait` seconds; `holder` is written into the file for the next one's message.
    init(wait: Double, holder: String) throws {
        let path = Self.path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw LabError.listen("cannot open the lab lock \(path): \(String(cString: strerror(errno)))") }
        let deadline = Date().addingTimeInterval(wait)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if Date() >= deadline {
                let other = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                close(fd)
                throw LabError.busy(holder: other.isEmpty ? "another porthole lab" : other, lock: path)
            }
            usleep(50_000)
        }
        _ = ftruncate(fd, 0)
        let text = Array("\(holder) (pid \(getpid()))\n".utf8)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, text.count, 0) }
    }

    /// Releases the lock. Idempotent.
    func release() {
        guard fd >= 0 else { return }
        _ = ftruncate(fd, 0)
        _ = flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
