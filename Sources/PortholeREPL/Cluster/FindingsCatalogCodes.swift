import Foundation
import PortholeFindings

/// Every code of the findings catalog (for `explain` completion and suggestions).
enum FindingsCatalogCodes {
    static var all: [String] { FindingCatalog.all.map(\.code) }
}
