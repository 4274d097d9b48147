#!/usr/bin/env bash
# The checks a person makes by hand, the way the notes do: one kubectl or curl per check, in sequence.
# Usage: KUBECONFIG=K bench/by-hand.sh NODE_ADDRESS LB_ADDRESS
# Prints nothing useful; the benchmark times it. Every address must be loopback (the lab's).
set -u
node=${1:?node address}; lb=${2:?load-balancer address}
case "$node$lb" in *[!0-9.]*) echo "addresses only" >&2; exit 2;; esac
for a in "$node" "$lb"; do case "$a" in 127.*) ;; *) echo "refusing non-loopback address $a" >&2; exit 2;; esac; done
k() { kubectl "$@" >/dev/null 2>&1 || true; }
c() { curl -s -o /dev/null -m 2 --connect-timeout 1 "$@" || true; }
# What is there
k version
k get nodes -o wide
k get ns --show-labels
k -n istio-system get svc istio-ingressgateway -o yaml
k -n istio-system get svc prometheus -o yaml
k -n istio-system get pods -l app=prometheus -o wide
k -n istio-system get pods -l istio=ingressgateway --show-labels
k -n istio-system get endpoints prometheus
# Istio routing
k get gateways.networking.istio.io -A -o yaml
k get virtualservices.networking.istio.io -A -o yaml
k get destinationrules.networking.istio.io -A -o yaml
k get peerauthentications.security.istio.io -A
k get authorizationpolicies.security.istio.io -A
# Load balancing
k -n metallb-system get configmap config -o yaml
k get ipaddresspools.metallb.io -A
k get l2advertisements.metallb.io -A
k get svc -A
# Ingress
k get ingressclasses
k get ingress -A -o yaml
k -n ingress-nginx get svc
# Gateway API
k get gateways.gateway.networking.k8s.io -A
k get httproutes.gateway.networking.k8s.io -A
# From outside, one try per idea
c "http://$node:31380/productpage"
c -H 'Host: prometheus.example.com' "http://$node:31380/graph"
c "http://$node:31399/graph"
c "http://$lb:9090/graph"
c "http://$lb:31588/graph"
c "http://$node:9090/-/ready"
c "http://$node:30090/-/ready"
exit 0
