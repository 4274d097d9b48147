import Foundation

/// Writes a run's transcript to the file the operator named (`--transcript`), and never loses it: the
/// destination is checked before the run touches the cluster, and when the final write still fails the
/// transcript goes to a file of porthole's own, named in the message.
public struct TranscriptExport: Sendable {
    public let path: String
    let files: FileSystem
    let environment: [String: String]

    public init(path: String, files: FileSystem, environment: [String: String]) {
        self.path = path
        self.files = files
        self.environment = environment
    }

    /// Before the run: the destination must be a file in a directory that exists or can be made. Throws
    /// `UsageError` naming the path, so a bad `--transcript` stops the run before it reads or writes anything.
    public func checkDestination() throws {
        if path.isEmpty { throw UsageError("--transcript wants a file name") }
        if files.isDirectory(path) { throw UsageError("--transcript \(path) is a directory; name a file (e.g. \(path)/porthole.md)") }
        let parent = Self.parent(of: path)
        do { try files.createDirectory(parent) } catch {
            throw UsageError("--transcript \(path): its directory \(parent) cannot be made: \((error as? FileSystemError)?.detail ?? "\(error)")")
        }
    }

    /// Where the transcript ended up.
    public enum Written: Sendable, Equatable {
        case asked(String)
        /// The asked path failed (why); the transcript is at the fallback path.
        case fallback(String, why: String)
    }

    /// Writes `text` to `path`; when that fails, to `$XDG_STATE_HOME/porthole/transcripts/` (or the temporary
    /// directory). Throws only when no file at all could be written.
    public func write(_ text: String, name: String, now: Date) throws -> Written {
        let data = Data(text.utf8)
        let why: String
        do {
            try files.write(path, data)
            return .asked(path)
        } catch {
            why = (error as? FileSystemError)?.detail ?? "\(error)"
        }
        var lastError: Error = FileSystemError.unwritable(path: path, detail: why)
        for dir in fallbackDirectories {
            let fallback = "\(dir)/\(Self.safe(name))-\(Self.stamp(now)).md"
            do {
                try files.createDirectory(dir)
                try files.write(fallback, data)
                return .fallback(fallback, why: why)
            } catch { lastError = error }
        }
        throw lastError
    }

    var fallbackDirectories: [String] {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["HOME"].map { "\($0)/.local/state" }
        let temp = (environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp")
        return (state.map { ["\($0)/porthole/transcripts"] } ?? []) + ["\(temp)/porthole-transcripts"]
    }

    static func parent(of path: String) -> String {
        let p = (path as NSString).deletingLastPathComponent
        return p.isEmpty ? "." : p
    }

    static func safe(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
    }

    static func stamp(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return f.string(from: d)
    }
}
