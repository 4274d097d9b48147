import Foundation
import PortholeKube

/// ingress-nginx publishes its address on the Ingresses it serves (`kubectl get ingress` ADDRESS):
/// the controller Service's load-balancer IP, or else the addresses of the nodes running the controller.
struct IngressStatusController {
    let store: ObjectStore
    let topology: LabTopology

    func reconcile() -> Bool {
        guard topology.components.ingressNginx != nil else { return false }
        let routing = IngressNginxRouting(store: store, topology: topology)
        let controllerPods = store.list(Kinds.pods).filter(IngressNginxRouting.isControllerPod)
        let controllerServices = store.list(Kinds.services).filter { svc in
            controllerPods.contains { $0.namespace == svc.namespace && Selector.matches(JSONValue.stringMap(svc.spec["selector"]), $0.labels) }
        }
        var addresses = controllerServices.compactMap { $0["status"]?["loadBalancer"]?["ingress"]?[0]?["ip"]?.stringValue }
        if addresses.isEmpty {
            let nodes = Set(controllerPods.compactMap { $0.spec["nodeName"]?.stringValue })
            addresses = topology.nodes.filter { nodes.contains($0.name) }.map(\.internalIP)
        }
        let want: JSONValue = ["loadBalancer": addresses.isEmpty ? .object([:]) : ["ingress": .array(addresses.sorted().map { ["ip": .string($0)] })]]
        var wrote = false
        for ing in store.list(Kinds.ingresses) where routing.isServed(ing) && ing["status"] != want {
            var o = ing
            o["status"] = want
            store.put(ObjectRef(Kinds.ingresses, namespace: ing.namespace, name: ing.name), o)
            wrote = true
        }
        return wrote
    }
}
