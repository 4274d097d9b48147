import Foundation
import Testing
@testable import PortholeCore

/// A file that is no playbook at all (`--playbook /etc/passwd`, `use ../notes.txt`) parses as one long scalar: the
/// error names the file, line and what was found, quoting only the start of it, never the whole file.
@Suite struct PlaybookErrorExcerptTests {
    @Test func aLongScalarIsQuotedShort() {
        let secret = "root:x:0:0:root:/root:/bin/bash\n" + String(repeating: "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n", count: 40)
        let errors = PlaybookLoader(knownPlaybooks: []).validate(text: secret, file: "passwd").map(\.description)
        let e = errors.first ?? ""
        #expect(e == "passwd:1:1: error: expected a mapping, found a scalar (`root:x:0:0:root:/root:/bin/bash daemon:x:1:1:daemon:/usr/sbi…`)",
                "\(errors)")
    }

    @Test func aShortScalarIsQuotedWhole() {
        #expect(NodeCursor.excerpt("istio-system") == "istio-system")
        #expect(NodeCursor.excerpt("first\nsecond") == "first…")
    }
}
