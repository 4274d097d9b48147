import Foundation

/// A hook for the crash-safety tests, off unless `PORTHOLE_TEST_PAUSE=POINT:PATH` is set.
///
/// At `before-write` (the intent is journaled, kubectl has not run) or `after-write` (kubectl has
/// written, the result is not journaled yet) the fix applier creates PATH and waits while it exists
/// (at most two minutes), so a test can kill porthole (or send it SIGINT) at exactly that point, then
/// delete PATH to let it go on. Chosen over a lab fault because it pauses porthole itself, on any cluster.
enum TestPause {
    static let variable = "PORTHOLE_TEST_PAUSE"

    static func at(_ point: String, _ context: PortholeContext) async {
        guard let spec = context.environment[variable], let colon = spec.firstIndex(of: ":"), spec[..<colon] == point else { return }
        let path = String(spec[spec.index(after: colon)...])
        guard (try? context.files.write(path, Data("\(point) \(ProcessInfo.processInfo.processIdentifier)\n".utf8))) != nil else { return }
        let deadline = Date().addingTimeInterval(120)
        while context.files.exists(path), Date() < deadline { try? await Task.sleep(nanoseconds: 50_000_000) }
    }
}
