import Foundation

/// Reads HTTP/1.1 messages from a connection: heads, fixed-length and chunked bodies.
public enum HTTPWire {
    static let maxHead = 64 * 1024

    /// Reads up to and including the blank line; returns the head lines. Nil at a clean EOF before any byte.
    public static func readHead(_ c: TCPConnection, timeout: Double?) throws -> [String]? {
        var buf: [UInt8] = []
        while true {
            if let r = findHeadEnd(buf) {
                c.pending = Array(buf[r...]) + c.pending
                let head = String(decoding: buf[..<(r - 4)], as: UTF8.self)
                return head.components(separatedBy: "\r\n")
            }
            if buf.count > maxHead { throw HTTPParseError.tooLarge }
            let chunk = try c.read(timeout: timeout)
            if chunk.isEmpty {
                if buf.isEmpty { return nil }
                throw NetError.closed
            }
            buf += chunk
        }
    }

    static func findHeadEnd(_ b: [UInt8]) -> Int? {
        guard b.count >= 4 else { return nil }
        for i in 3..<b.count where b[i] == 10 && b[i - 1] == 13 && b[i - 2] == 10 && b[i - 3] == 13 { return i + 1 }
        return nil
    }

    static func parseHeaders(_ lines: ArraySlice<String>) throws -> HTTPHeaders {
        var h = HTTPHeaders()
        for l in lines where !l.isEmpty {
            guard let colon = l.firstIndex(of: ":") else { throw HTTPParseError.malformed("header without ':': \(l.prefix(80))") }
            h.add(String(l[..<colon]), l[l.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return h
    }

    /// Reads a request (head and body). Nil when the peer closed cleanly between requests.
    public static func readRequest(_ c: TCPConnection, timeout: Double? = nil) throws -> HTTPRequest? {
        guard let lines = try readHead(c, timeout: timeout), let first = lines.first else { return nil }
        let parts = first.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3 else { throw HTTPParseError.malformed("bad request line: \(first.prefix(80))") }
        let headers = try parseHeaders(lines.dropFirst())
        let body = try readBody(c, headers: headers, timeout: timeout, untilClose: false)
        return HTTPRequest(method: String(parts[0]), target: String(parts[1]), version: String(parts[2]), headers: headers, body: body)
    }

    /// Reads a response; `headOnly` for HEAD requests and upgrade answers.
    public static func readResponse(_ c: TCPConnection, timeout: Double?, headOnly: Bool = false, maxBody: Int = 8 << 20) throws -> HTTPResponse {
        guard let lines = try readHead(c, timeout: timeout), let first = lines.first else { throw NetError.closed }
        let parts = first.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw HTTPParseError.malformed("bad status line: \(first.prefix(80))")
        }
        let headers = try parseHeaders(lines.dropFirst())
        let noBody = headOnly || status == 204 || status == 304 || (100..<200).contains(status)
        let body = noBody ? [] : try readBody(c, headers: headers, timeout: timeout, untilClose: true, maxBody: maxBody)
        return HTTPResponse(status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers, body: body)
    }

    static func readBody(_ c: TCPConnection, headers: HTTPHeaders, timeout: Double?, untilClose: Bool, maxBody: Int = 64 << 20) throws -> [UInt8] {
        if let te = headers["Transfer-Encoding"], te.lowercased().contains("chunked") {
            return try readChunked(c, timeout: timeout, maxBody: maxBody)
        }
        if let cl = headers["Content-Length"] {
            guard let n = Int(cl), n >= 0 else { throw HTTPParseError.malformed("bad Content-Length \(cl)") }
            if n > maxBody { throw HTTPParseError.tooLarge }
            return try readExactly(c, n, timeout: timeout)
        }
        guard untilClose else { return [] }
        var out: [UInt8] = []
        while true {
            let chunk = try c.read(timeout: timeout)
            if chunk.isEmpty { return out }
            out += chunk
            if out.count > maxBody { return Array(out[0..<maxBody]) }
        }
    }

    public static func readExactly(_ c: TCPConnection, _ n: Int, timeout: Double?) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(n)
        while out.count < n {
            let chunk = try c.read(max: n - out.count, timeout: timeout)
            if chunk.isEmpty { throw NetError.closed }
            out += chunk
        }
        return out
    }

    static func readLine(_ c: TCPConnection, timeout: Double?) throws -> String {
        var line: [UInt8] = []
        while true {
            let b = try c.read(max: 1, timeout: timeout)
            if b.isEmpty { throw NetError.closed }
            if b[0] == 10 { break }
            if b[0] != 13 { line.append(b[0]) }
            if line.count > 4096 { throw HTTPParseError.tooLarge }
        }
        return String(decoding: line, as: UTF8.self)
    }

    static func readChunked(_ c: TCPConnection, timeout: Double?, maxBody: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        while true {
            let sizeLine = try readLine(c, timeout: timeout)
            let hex = sizeLine.split(separator: ";").first.map(String.init) ?? ""
            guard let n = Int(hex.trimmingCharacters(in: .whitespaces), radix: 16) else { throw HTTPParseError.malformed("bad chunk size") }
            if n == 0 {
                while try !readLine(c, timeout: timeout).isEmpty {}
                return out
            }
            out += try readExactly(c, n, timeout: timeout)
            _ = try readLine(c, timeout: timeout)
            if out.count > maxBody { throw HTTPParseError.tooLarge }
        }
    }
}
