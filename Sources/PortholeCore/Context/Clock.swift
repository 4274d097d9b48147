import Foundation

/// Time as porthole sees it: the verify wait budget and the transcript's timestamps.
public protocol Clock: Sendable {
    var now: Date { get }
    func sleep(seconds: Double) async
}

/// The wall clock.
public struct SystemClock: Clock {
    public init() {}
    public var now: Date { Date() }
    public func sleep(seconds: Double) async {
        guard seconds > 0 else { return }
        try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }
}
