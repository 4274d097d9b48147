import Foundation
import PortholeCore

/// What an engine operation reported to the waiting session.
enum EngineSignal: Sendable {
    /// A fix waits for consent (the operation is suspended in the gate).
    case fixPending(FixProposal)
    /// The operation ended: the run after it and the events it caused.
    case finished(PlaybookRun, [RunEvent])
    case failed(Error)
    /// Ctrl-C while it ran: the session abandons it.
    case interrupted
}

/// One engine call (`step`, `probe`...) running in its own Task on a copy of the run, so the prompt
/// stays usable while it waits for consent and a Ctrl-C can abandon it.
final class EngineOperation: @unchecked Sendable {
    typealias Work = @Sendable (inout PlaybookRun) async throws -> [RunEvent]

    private let stream: AsyncStream<EngineSignal>
    private let continuation: AsyncStream<EngineSignal>.Continuation
    private var iterator: AsyncStream<EngineSignal>.AsyncIterator
    private var task: Task<Void, Never>?
    let gate: ConsentGate

    init(run: PlaybookRun, gate: ConsentGate, work: @escaping Work) {
        (stream, continuation) = AsyncStream<EngineSignal>.makeStream()
        iterator = stream.makeAsyncIterator()
        self.gate = gate
        let sink = continuation
        gate.observe { sink.yield(.fixPending($0)) }
        task = Task {
            var copy = run
            do {
                let events = try await work(&copy)
                sink.yield(.finished(copy, events))
            } catch {
                sink.yield(.failed(error))
            }
        }
    }

    /// Waits for the next signal (a pending fix, the end, or an interrupt delivered by `interrupt`).
    func next() async -> EngineSignal {
        await iterator.next() ?? .interrupted
    }

    /// Delivered from the SIGINT source: the waiting session wakes with `.interrupted`.
    func interrupt() { continuation.yield(.interrupted) }

    /// Stops caring about the operation: cancels its Task and declines a waiting fix so it cannot hang.
    func abandon() {
        gate.observe(nil)
        task?.cancel()
        gate.answer(false)
        continuation.finish()
    }
}
