import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Another porthole holds the write lock of this context (exit 3).
public struct ContextLockError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    /// What the holder wrote into the lock file: pid, command and start time.
    public var holder: String

    public var description: String {
        "another porthole is changing this context: \(holder) (lock \(path)). Wait for it to finish, or stop it, then run again."
    }
}

/// A held exclusive lock; released by `release()` or when the process ends (even by kill -9).
public protocol HeldLock: AnyObject, Sendable {
    func release()
}

/// The lock next to a journal (`<journal>.lock`): one porthole at a time writes to a context, so two
/// runs never interleave their writes (or their undos).
public enum ContextLock {
    public static func path(journal: String) -> String { journal + ".lock" }

    /// Takes the lock without waiting; throws `ContextLockError` naming the holder.
    public static func acquire(journal: String, files: FileSystem, command: String, now: Date) throws -> HeldLock {
        let holder = "pid \(ProcessInfo.processInfo.processIdentifier), `\(command)` since \(ISO8601DateFormatter().string(from: now))"
        try files.createDirectory(URL(fileURLWithPath: journal).deletingLastPathComponent().path)
        return try files.lockExclusively(path(journal: journal), holder: holder)
    }
}

/// flock(2) on a file that records the holder. The kernel drops it when the process dies.
final class DiskLock: HeldLock, @unchecked Sendable {
    private let lock = NSLock()
    private var fd: Int32

    init(path: String, holder: String) throws {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileSystemError.unwritable(path: path, detail: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let other = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(fd)
            // Fully initialized, so throwing runs deinit: it must not close this number again (another thread may own it by then).
            fd = -1
            throw ContextLockError(path: path, holder: other.isEmpty ? "another porthole" : other)
        }
        _ = ftruncate(fd, 0)
        let text = Array((holder + "\n").utf8)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, text.count, 0) }
    }

    func release() {
        lock.lock(); defer { lock.unlock() }
        guard fd >= 0 else { return }
        _ = ftruncate(fd, 0)
        _ = flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
