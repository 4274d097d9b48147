import Foundation
import Testing
@testable import PortholeLab

@Suite struct LabFaultTests {
    @Test func specsParse() throws {
        let f = try LabFault.parse("503,share=0.25,path=/apis,method=GET,count=3,retry-after=2,dry-run=no")
        #expect(f.kind == .status(503))
        #expect(f.share == 0.25 && f.pathPrefix == "/apis" && f.method == "GET" && f.count == 3 && f.retryAfter == 2 && f.sparesDryRun)
        #expect(try LabFault.parse("stall=250ms").kind == .stall(seconds: 0.25))
        #expect(try LabFault.parse("drop=127.204.7.185,after=2s").after == 2)
    }

    @Test(arguments: ["", "418", "stall", "stall=soon", "drop=10.0.0.1", "500,share=2", "500,count=-1", "500,colour=red", "500,share"])
    func badSpecsAreRefusedByName(spec: String) {
        #expect(throws: LabFaultError.self) { try LabFault.parse(spec) }
    }

    @Test func aSeedReplaysTheSameHits() {
        func pattern(_ seed: UInt64) -> [Bool] {
            let i = FaultInjector(faults: [try! LabFault.parse("500,share=0.5")], seed: seed)
            return (0..<40).map { _ in i.intercept(method: "GET", path: "/api/v1/pods", query: "") != nil }
        }
        #expect(pattern(7) == pattern(7))
        #expect(pattern(7) != pattern(8))
        #expect(pattern(7).contains(true) && pattern(7).contains(false))
    }

    @Test func countMakesAFaultTransientAndDryRunsCanBeSpared() throws {
        let i = FaultInjector(faults: [try LabFault.parse("500,count=2,method=PATCH,dry-run=no")], seed: 1)
        #expect(i.intercept(method: "PATCH", path: "/x", query: "dryRun=All") == nil)
        #expect(i.intercept(method: "GET", path: "/x", query: "") == nil)
        #expect(i.intercept(method: "PATCH", path: "/x", query: "") != nil)
        #expect(i.intercept(method: "PATCH", path: "/x", query: "") != nil)
        #expect(i.intercept(method: "PATCH", path: "/x", query: "") == nil)
        #expect(i.hitCounts == [2])
    }
}
