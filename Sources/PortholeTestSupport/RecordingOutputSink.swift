import Foundation
import PortholeCore

/// Keeps everything written, per stream.
public final class RecordingOutputSink: OutputSink, @unchecked Sendable {
    private let lock = NSLock()
    private var out = "", err = ""
    public init() {}
    public var standardOutput: String { lock.lock(); defer { lock.unlock() }; return out }
    public var standardError: String { lock.lock(); defer { lock.unlock() }; return err }
    public func write(_ text: String, to stream: OutputChannel) {
        lock.lock(); defer { lock.unlock() }
        if stream == .standardOutput { out += text } else { err += text }
    }
}
