import Foundation

/// What `/proc/PID/stat` says about one process (Linux; see proc(5)).
struct ProcStat: Sendable, Hashable {
    var pid: Int32
    /// `R`, `S`, `D`, `Z` (zombie: exited, not reaped), `T`...
    var state: Character
    var parent: Int32
    var processGroup: Int32
    var session: Int32
    /// Clock ticks after boot (field 22): with the pid, the process's identity.
    var startTime: UInt64

    var isZombie: Bool { state == "Z" || state == "X" }

    /// The stat line parsed; the command name is skipped up to its *last* `)` because it may hold spaces and parentheses.
    init?(line: String) {
        guard let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")"),
              let pid = Int32(line[..<open].trimmingCharacters(in: .whitespaces)) else { return nil }
        // Fields from 3 (state) on; field N is at index N - 3.
        let f = line[line.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        guard f.count > 19, let state = f[0].first, let parent = Int32(f[1]), let group = Int32(f[2]), let session = Int32(f[3]),
              let start = UInt64(f[19]) else { return nil }
        self.pid = pid
        self.state = state
        self.parent = parent
        processGroup = group
        self.session = session
        startTime = start
    }
}

/// Reads the process table from `/proc`.
enum ProcTable {
    static func stat(_ pid: Int32) -> ProcStat? {
        guard pid > 0, let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        return ProcStat(line: text)
    }

    /// Every pid in `/proc` now.
    static func pids() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init)
    }

    /// The process's environment as `NAME=value` entries; empty when it is unreadable (another user's process).
    static func environment(_ pid: Int32) -> [String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return [] }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Open file descriptors of `pid` (for the tests: a detached child must hold only 0, 1 and 2).
    static func openDescriptors(_ pid: Int32) -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).compactMap(Int32.init).sorted()
    }
}
