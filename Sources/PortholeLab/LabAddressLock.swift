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

    /// The lock file for one set of addresses: labs whose scenarios use other addresses do not wait for each other.
    static func path(addresses: [String]) -> String {
        var hash: UInt64 = 0xcbf29ce484222325  // FNV-1a over the sorted addresses
        for byte in Set(addresses).sorted().joined(separator: ",").utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        let dir = ProcessInfo.processInfo.environment["PORTHOLE_LAB_LOCK_DIR"] ?? NSTemporaryDirectory()
        return (dir as NSString).appendingPathComponent("porthole-lab-\(String(hash, radix: 16)).lock")
    }

    /// Takes the lock for `addresses`, waiting up to `wait` seconds; `holder` is written into the file for the next one's message.
    init(addresses: [String], wait: Double, holder: String) throws {
        let path = Self.path(addresses: addresses)
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw LabError.listen("cannot open the lab lock \(path): \(String(cString: strerror(errno)))") }
        let deadline = Date().addingTimeInterval(wait)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if Date() >= deadline {
                let other = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                close(fd)
                // The instance is fully initialized, so throwing runs deinit: it must not close this number again
                // (by then another thread may own it, a pipe of a process being started, say).
                fd = -1
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
