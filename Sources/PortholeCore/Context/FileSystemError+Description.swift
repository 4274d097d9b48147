import Foundation

/// How a file error reads in `RunPlaybook.report` (it interpolates the error): the path and the reason,
/// not the enum's debug form.
extension FileSystemError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unreadable(let path, let detail): return "cannot read \(path): \(detail)"
        case .unwritable(let path, let detail): return "cannot write \(path): \(detail)"
        }
    }
}
