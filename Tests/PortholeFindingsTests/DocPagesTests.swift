import Foundation
import Testing
@testable import PortholeFindings

/// Every code has its doc page, and every doc page has its code.
struct DocPagesTests {
    static var findingsDir: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/findings")
    }

    @Test func everyCodeHasADocPageAndEveryPageACode() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.findingsDir.path)
        let pages = Set(files.filter { $0.hasPrefix("PH") && $0.hasSuffix(".md") }.map { String($0.dropLast(3)) })
        let codes = Set(FindingCatalog.all.map(\.code))
        #expect(codes.subtracting(pages).isEmpty, "codes without a page: \(codes.subtracting(pages).sorted())")
        #expect(pages.subtracting(codes).isEmpty, "pages without a code: \(pages.subtracting(codes).sorted())")
    }

    @Test func pagesHaveTheSectionsAndTheirTitle() throws {
        for def in FindingCatalog.all {
            let url = Self.findingsDir.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(def.docPath)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            #expect(text.hasPrefix("# \(def.code) \(def.title)"), "\(def.code): first line")
            for section in ["## What it means", "## Confirm by hand", "## Fix", "## Sources"] {
                #expect(text.contains(section), "\(def.code) lacks \(section)")
            }
        }
    }

    @Test func indexListsEveryCode() throws {
        let index = try String(contentsOf: Self.findingsDir.appendingPathComponent("README.md"), encoding: .utf8)
        for def in FindingCatalog.all {
            #expect(index.contains("| [\(def.code)](\(def.code).md) | \(def.level.rawValue) | \(def.title) |"), "\(def.code) missing from README.md")
        }
    }
}
