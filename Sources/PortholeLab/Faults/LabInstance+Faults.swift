import Foundation

public extension LabInstance {
    /// Closes every data-plane listener on `host` (a lab address such as 127.204.7.185) and keeps it closed:
    /// connects to it are refused from now on, as when a node or load balancer goes away mid-run.
    func dropAddress(_ host: String) { simulation.dropAddress(host) }

    /// How many requests each API fault hit so far, in `LabOptions.faults` order (drops count 0).
    var faultHits: [Int] { api.faults?.hitCounts ?? [] }
}

extension LabInstance {
    /// Runs each `drop=ADDRESS,after=S` fault once, S seconds from now (unless the lab stopped first).
    func scheduleDrops(_ faults: [LabFault]) {
        for f in faults {
            guard case .dropAddress(let host) = f.kind else { continue }
            if f.after <= 0 { dropAddress(host); continue }
            DispatchQueue.global().asyncAfter(deadline: .now() + f.after) { [weak self] in
                guard let self, !self.isStopped else { return }
                self.dropAddress(host)
            }
        }
    }
}
