import Foundation

extension SessionDriver {
    /// Runs `work` in its own Task while Ctrl-C may abandon it: nil when the operator pressed Ctrl-C
    /// (the Task is cancelled, which kills a read's kubectl; anything else it ran ends on its own timeout).
    func interruptible<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async -> Result<T, Error>? {
        let (stream, sink) = AsyncStream<Result<T, Error>?>.makeStream()
        let task = Task {
            do { sink.yield(.success(try await work())) } catch { sink.yield(.failure(error)) }
        }
        interrupts.start { sink.yield(nil) }
        var next = stream.makeAsyncIterator()
        let outcome = await next.next() ?? nil
        interrupts.stop()
        sink.finish()
        if outcome == nil { task.cancel() }
        return outcome
    }
}
