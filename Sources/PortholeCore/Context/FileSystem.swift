import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file operation failed, naming the path.
public enum FileSystemError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(path: String, detail: String)
    case unwritable(path: String, detail: String)

    public var description: String {
        switch self {
        case .unreadable(let p, let d): return "cannot read \(p): \(d)"
        case .unwritable(let p, let d): return "cannot write \(p): \(d)"
        }
    }

    /// The operating system's reason alone, for messages that name the path themselves.
    public var detail: String {
        switch self { case .unreadable(_, let d), .unwritable(_, let d): return d }
    }
}

/// Files porthole reads and writes: playbooks, the undo journal, transcripts.
public protocol FileSystem: Sendable {
    func read(_ path: String) throws -> Data
    /// Replaces the file atomically (write a sibling, then rename).
    func write(_ path: String, _ data: Data) throws
    /// Appends and fsyncs before returning: the undo journal must survive a crash right after.
    func append(_ path: String, _ data: Data) throws
    func rename(_ from: String, to: String) throws
    func exists(_ path: String) -> Bool
    /// Entry names in a directory, sorted; empty when it does not exist.
    func list(_ directory: String) -> [String]
    func createDirectory(_ path: String) throws
    /// Takes an exclusive lock on `path` without waiting, writing `holder` into it; throws
    /// `ContextLockError` naming the current holder. The default locks the file on disk (flock).
    func lockExclusively(_ path: String, holder: String) throws -> HeldLock
}

public extension FileSystem {
    /// True when `path` is an existing directory (a transcript or journal path must name a file).
    func isDirectory(_ path: String) -> Bool {
        var dir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &dir) && dir.boolValue
    }

    func lockExclusively(_ path: String, holder: String) throws -> HeldLock { try DiskLock(path: path, holder: holder) }
}

/// The local disk.
public struct LocalFileSystem: FileSystem {
    public init() {}

    public func read(_ path: String) throws -> Data {
        // Foundation's error for a directory says only "The operation could not be completed".
        if isDirectory(path) { throw FileSystemError.unreadable(path: path, detail: "it is a directory") }
        do { return try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw FileSystemError.unreadable(path: path, detail: Self.reason(error))
        }
    }

    public func write(_ path: String, _ data: Data) throws {
        if isDirectory(path) { throw FileSystemError.unwritable(path: path, detail: "it is a directory") }
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw FileSystemError.unwritable(path: path, detail: Self.reason(error))
        }
    }

    public func append(_ path: String, _ data: Data) throws {
        let created = !exists(path)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        guard fd >= 0 else { throw FileSystemError.unwritable(path: path, detail: String(cString: strerror(errno))) }
        defer { close(fd) }
        let ok = data.withUnsafeBytes { buf -> Bool in
            var offset = 0
            while offset < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        guard ok, fsync(fd) == 0 else { throw FileSystemError.unwritable(path: path, detail: String(cString: strerror(errno))) }
        // A new file's directory entry must survive a crash too.
        if created {
            let parent = (path as NSString).deletingLastPathComponent
            let dir = open(parent.isEmpty ? "." : parent, O_RDONLY | O_DIRECTORY)
            if dir >= 0 { _ = fsync(dir); close(dir) }
        }
    }

    public func rename(_ from: String, to: String) throws {
        guard Glibc.rename(from, to) == 0 else {
            throw FileSystemError.unwritable(path: to, detail: String(cString: strerror(errno)))
        }
    }

    public func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    public func list(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    public func createDirectory(_ path: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw FileSystemError.unwritable(path: path, detail: Self.reason(error))
        }
    }

    /// The operating system's words (`Is a directory`, `No such file or directory`) when Foundation wraps them in a
    /// Cocoa error whose own text is only "The operation could not be completed".
    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let posix = (ns.userInfo[NSUnderlyingErrorKey] as? Error).map({ $0 as NSError }), posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedFailureReason ?? ns.localizedDescription
    }
}
