import Foundation
import PortholeNet
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One SPDY connection of `kubectl port-forward`: for every forwarded local connection kubectl opens an
/// error stream and a data stream (headers `streamtype`, `port`, `requestid`); we dial the pod's port
/// through the `PodNetwork` and splice bytes between the data stream and that connection.
final class PortForwardSession: @unchecked Sendable {
    private let conn: ByteStream
    private let namespace: String
    private let pod: String
    private let network: PodNetwork
    private let writeLock = NSLock()
    private var deflater = StoredDeflater()
    private var inflater = Inflater(dictionary: SPDYDictionary.bytes, adler32: SPDYDictionary.adler32)
    private let stateLock = NSLock()
    /// requestID -> (data stream, error stream)
    private var pairs: [String: (data: UInt32?, error: UInt32?, port: Int)] = [:]
    /// data stream id -> the pod connection it feeds
    private var upstreams: [UInt32: TCPConnection] = [:]

    init(conn: ByteStream, namespace: String, pod: String, network: PodNetwork) {
        self.conn = conn; self.namespace = namespace; self.pod = pod; self.network = network
    }

    /// Serves frames until kubectl goes away, then closes every pod connection.
    func run() {
        defer {
            stateLock.lock(); let ups = Array(upstreams.values); upstreams.removeAll(); stateLock.unlock()
            for u in ups { Self.hangUp(u) }
            conn.close()
        }
        while let frame = try? SPDYFrame.read(conn) {
            switch frame {
            case .synStream(let id, _, let block):
                // A header block we cannot inflate leaves the shared zlib stream unusable: end the session.
                guard let raw = try? inflater.inflate(block) else { return }
                accept(stream: id, headers: SPDYFrame.headers(raw))
            case .data(let id, let flags, let payload):
                stateLock.lock(); let up = upstreams[id]; stateLock.unlock()
                guard let up else { continue }
                if !payload.isEmpty, (try? up.write(payload)) == nil { reset(id) }
                if flags & SPDYFrame.flagFin != 0 { up.shutdownWrite() }
            case .ping(let pid):
                send(SPDYFrame.control(type: 6, flags: 0, payload: SPDYFrame.be32(pid)))
            case .rstStream(let id, _):
                stateLock.lock(); let up = upstreams.removeValue(forKey: id); stateLock.unlock()
                if let up { Self.hangUp(up) }
            case .goAway:
                return
            case .synReply, .other:
                continue
            }
        }
    }

    private func send(_ bytes: [UInt8]) {
        writeLock.lock(); defer { writeLock.unlock() }
        try? conn.write(bytes)
    }

    private func reply(_ id: UInt32) {
        writeLock.lock(); defer { writeLock.unlock() }
        let block = deflater.emptyHeaders()
        try? conn.write(SPDYFrame.control(type: 2, flags: 0, payload: SPDYFrame.be32(id) + block))
    }

    private func reset(_ id: UInt32) {
        send(SPDYFrame.control(type: 3, flags: 0, payload: SPDYFrame.be32(id) + SPDYFrame.be32(5)))
    }

    private func accept(stream id: UInt32, headers: [String: String]) {
        reply(id)
        let port = Int(headers["port"] ?? "") ?? 0
        let request = headers["requestid"] ?? "port-\(port)"
        stateLock.lock()
        var p = pairs[request] ?? (data: nil, error: nil, port: port)
        if headers["streamtype"] == "error" { p.error = id } else { p.data = id }
        pairs[request] = p
        let complete = p.data != nil && p.error != nil
        if complete { pairs[request] = nil }
        stateLock.unlock()
        if complete, let data = p.data, let err = p.error { forward(port: p.port, data: data, error: err) }
    }

    private func forward(port: Int, data: UInt32, error errorStream: UInt32) {
        let upstream: TCPConnection
        do {
            upstream = try network.connect(namespace: namespace, pod: pod, port: port)
        } catch let failure {
            // What the kubelet writes on the error stream; kubectl prints it and drops the local connection.
            let text = "error forwarding port \(port) to pod \(pod) in namespace \(namespace): failed to connect to localhost:\(port) inside the pod: \(failure)"
            send(SPDYFrame.dataFrame(streamID: errorStream, fin: true, payload: Array(text.utf8)))
            send(SPDYFrame.dataFrame(streamID: data, fin: true, payload: []))
            return
        }
        stateLock.lock(); upstreams[data] = upstream; stateLock.unlock()
        let t = Thread { [self] in
            while let chunk = try? upstream.read(max: 32 * 1024), !chunk.isEmpty {
                send(SPDYFrame.dataFrame(streamID: data, fin: false, payload: chunk))
            }
            send(SPDYFrame.dataFrame(streamID: data, fin: true, payload: []))
            send(SPDYFrame.dataFrame(streamID: errorStream, fin: true, payload: []))
        }
        t.start()
    }


    /// Closes a pod connection so that its reader thread wakes up (close alone leaves a blocked read() waiting).
    static func hangUp(_ c: TCPConnection) {
        _ = shutdown(c.fd, Int32(SHUT_RDWR))
        c.close()
    }
}
