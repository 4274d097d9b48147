import Foundation

/// The SPDY/3 header compression dictionary (draft 3, section 2.6.10.1), as Go's spdy package
/// (moby/spdystream, which kubectl uses) defines it: without a trailing NUL. Its Adler-32 is 0xe3c6a7c2.
enum SPDYDictionary {
    static let bytes: [UInt8] = Array([
        "\u{0}\u{0}\u{0}\u{7}options\u{0}\u{0}\u{0}\u{4}head\u{0}\u{0}\u{0}\u{4}post\u{0}\u{0}\u{0}\u{3}put\u{0}",
        "\u{0}\u{0}\u{6}delete\u{0}\u{0}\u{0}\u{5}trace\u{0}\u{0}\u{0}\u{6}accept\u{0}\u{0}\u{0}\u{e}accept-ch",
        "arset\u{0}\u{0}\u{0}\u{f}accept-encoding\u{0}\u{0}\u{0}\u{f}accept-language\u{0}\u{0}\u{0}\u{d}accept",
        "-ranges\u{0}\u{0}\u{0}\u{3}age\u{0}\u{0}\u{0}\u{5}allow\u{0}\u{0}\u{0}\u{d}authorization\u{0}\u{0}\u{0}",
        "\u{d}cache-control\u{0}\u{0}\u{0}\u{a}connection\u{0}\u{0}\u{0}\u{c}content-base\u{0}\u{0}\u{0}\u{10}",
        "content-encoding\u{0}\u{0}\u{0}\u{10}content-language\u{0}\u{0}\u{0}\u{e}content-length\u{0}\u{0}\u{0}",
        "\u{10}content-location\u{0}\u{0}\u{0}\u{b}content-md5\u{0}\u{0}\u{0}\u{d}content-range\u{0}\u{0}\u{0}",
        "\u{c}content-type\u{0}\u{0}\u{0}\u{4}date\u{0}\u{0}\u{0}\u{4}etag\u{0}\u{0}\u{0}\u{6}expect\u{0}\u{0}",
        "\u{0}\u{7}expires\u{0}\u{0}\u{0}\u{4}from\u{0}\u{0}\u{0}\u{4}host\u{0}\u{0}\u{0}\u{8}if-match\u{0}\u{0}",
        "\u{0}\u{11}if-modified-since\u{0}\u{0}\u{0}\u{d}if-none-match\u{0}\u{0}\u{0}\u{8}if-range\u{0}\u{0}\u{0}",
        "\u{13}if-unmodified-since\u{0}\u{0}\u{0}\u{d}last-modified\u{0}\u{0}\u{0}\u{8}location\u{0}\u{0}\u{0}",
        "\u{c}max-forwards\u{0}\u{0}\u{0}\u{6}pragma\u{0}\u{0}\u{0}\u{12}proxy-authenticate\u{0}\u{0}\u{0}\u{13}",
        "proxy-authorization\u{0}\u{0}\u{0}\u{5}range\u{0}\u{0}\u{0}\u{7}referer\u{0}\u{0}\u{0}\u{b}retry-afte",
        "r\u{0}\u{0}\u{0}\u{6}server\u{0}\u{0}\u{0}\u{2}te\u{0}\u{0}\u{0}\u{7}trailer\u{0}\u{0}\u{0}\u{11}tran",
        "sfer-encoding\u{0}\u{0}\u{0}\u{7}upgrade\u{0}\u{0}\u{0}\u{a}user-agent\u{0}\u{0}\u{0}\u{4}vary\u{0}\u{0}",
        "\u{0}\u{3}via\u{0}\u{0}\u{0}\u{7}warning\u{0}\u{0}\u{0}\u{10}www-authenticate\u{0}\u{0}\u{0}\u{6}meth",
        "od\u{0}\u{0}\u{0}\u{3}get\u{0}\u{0}\u{0}\u{6}status\u{0}\u{0}\u{0}\u{6}200 OK\u{0}\u{0}\u{0}\u{7}vers",
        "ion\u{0}\u{0}\u{0}\u{8}HTTP/1.1\u{0}\u{0}\u{0}\u{3}url\u{0}\u{0}\u{0}\u{6}public\u{0}\u{0}\u{0}\u{a}s",
        "et-cookie\u{0}\u{0}\u{0}\u{a}keep-alive\u{0}\u{0}\u{0}\u{6}origin100101201202205206300302303304305306",
        "307402405406407408409410411412413414415416417502504505203 Non-Authoritative Information204 No Content",
        "301 Moved Permanently400 Bad Request401 Unauthorized403 Forbidden404 Not Found500 Internal Server Err",
        "or501 Not Implemented503 Service UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00",
        " Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,image/png,image/jpg,image/gif,application/xm",
        "l,application/xhtml+xml,text/plain,text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-",
        "8charset=iso-8859-1,utf-,*,enq=0.",
    ].joined().utf8)
    static let adler32: UInt32 = 0xe3c6a7c2
}
