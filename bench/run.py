#!/usr/bin/env python3
"""porthole's benchmark: a full read-only diagnosis against the lab's notes scenario with API latency,
side by side with the same checks by hand and with the physical limit. Prints a table and JSON.

Usage: bench/run [--runs N] [--latency 100ms] [--short] [--json FILE]
Exit 1 when a goal is missed (with --short only the kubectl-invocation goal gates: timings are too
noisy on shared machines to fail CI on). All traffic goes to loopback addresses of the lab.
"""
import argparse, json, os, pty, re, select, shutil, signal, statistics, subprocess, sys, tempfile, time, http.client

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOALS = {
    "kubectl_per_diagnosis_max": 3,
    "speedup_vs_by_hand_min": 5.0,
    "ratio_to_limit_max": 1.5,
    "version_ms_max": 50,
    "help_ms_max": 50,
    "peak_rss_mb_max": 60,
    "lab_500_gets_s_max": 2.0,
    "lab_start_s_max": 1.0,
    "repl_prompt_after_read_ms_max": 300,
}


def sh(argv, env=None, timeout=300, **kw):
    return subprocess.run(argv, env=env, timeout=timeout, capture_output=True, text=True, **kw)


def median(xs):
    return statistics.median(xs) if xs else float("nan")


class Lab:
    """`porthole lab serve` in the background, with a kubeconfig and the counting kubectl shim on PATH."""

    def __init__(self, porthole, tmp, latency, scenario="notes", prometheus=True):
        self.kubeconfig = os.path.join(tmp, "kubeconfig")
        argv = [porthole, "lab", "serve", "--scenario", scenario, "--kubeconfig-out", self.kubeconfig]
        if latency:
            argv += ["--api-latency", latency]
        if not prometheus:
            argv.append("--no-prometheus")
        env = dict(os.environ, PORTHOLE_LAB_WAIT="120")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        self.proc.stdout.readline()  # kubeconfig path
        ready = self.proc.stdout.readline()
        self.ready_after = time.perf_counter() - self.started
        if "ready" not in ready:
            raise SystemExit(f"bench: the lab did not start: {ready!r}")
        m = re.search(r"http://127\.0\.0\.1:(\d+)", ready)
        self.api_port = int(m.group(1))

    def stop(self):
        if self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def counting_env(tmp, kubeconfig, log):
    """An environment whose `kubectl` records each invocation as its own file in the directory `log`
    (named by the shim's pid, which exec keeps for kubectl, so concurrent calls never interleave),
    then runs the real one."""
    real = shutil.which("kubectl")
    shim_dir = os.path.join(tmp, "shim")
    os.makedirs(shim_dir, exist_ok=True)
    shim = os.path.join(shim_dir, "kubectl")
    with open(shim, "w") as f:
        f.write(f'#!/bin/sh\nprintf "%s\\037" "$@" > "{log}/$$"\nexec "{real}" "$@"\n')
    os.chmod(shim, 0o755)
    env = dict(os.environ)
    env.update(PATH=shim_dir + os.pathsep + env["PATH"], KUBECONFIG=kubeconfig, HOME=tmp,
               KUBECACHEDIR=os.path.join(tmp, "kubecache"), XDG_STATE_HOME=os.path.join(tmp, "state"),
               no_proxy="127.0.0.1,localhost", NO_PROXY="127.0.0.1,localhost")
    return env


def clear_calls(log):
    """Empties the counting shim's directory of recorded calls."""
    os.makedirs(log, exist_ok=True)
    for name in os.listdir(log):
        os.remove(os.path.join(log, name))


def recorded_calls(log):
    """The argv of every kubectl call the counting shim recorded, oldest first."""
    paths = sorted((os.path.join(log, n) for n in os.listdir(log)), key=lambda p: os.stat(p).st_mtime_ns)
    calls = []
    for path in paths:
        with open(path) as f:
            calls.append(f.read().rstrip("\x1f").split("\x1f"))
    return calls


def timed(argv, env, log):
    """Runs argv under GNU time -v: wall seconds, kubectl invocations, peak RSS in MB, exit code."""
    clear_calls(log)
    gtime = shutil.which("time") or "/usr/bin/time"
    t0 = time.perf_counter()
    r = sh([gtime, "-v"] + argv, env=env)
    wall = time.perf_counter() - t0
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    argvs = recorded_calls(log)
    return {"wall": wall, "kubectl": len(argvs), "argvs": argvs, "rss_mb": int(rss.group(1)) / 1024 if rss else None,
            "exit": r.returncode, "stdout": r.stdout[-2000:], "stderr": r.stderr[-2000:]}


def timing_env(env, tmp):
    """`env` with a `kubectl` that records when each call started and ended (bash's clock, no extra process)."""
    real = shutil.which("kubectl", path=env["PATH"].split(os.pathsep, 1)[1])
    shim_dir = os.path.join(tmp, "timing-shim")
    os.makedirs(shim_dir, exist_ok=True)
    log = os.path.join(tmp, "kubectl-times.log")
    with open(os.path.join(shim_dir, "kubectl"), "w") as f:
        f.write(f'#!/bin/bash\nstart=$EPOCHREALTIME\n"{real}" "$@"\nrc=$?\necho "$start $EPOCHREALTIME" >> "{log}"\nexit $rc\n')
    os.chmod(os.path.join(shim_dir, "kubectl"), 0o755)
    return dict(env, PATH=shim_dir + os.pathsep + env["PATH"], NO_COLOR="1", TERM="xterm"), log


def repl_prompt_after_read(porthole, env, log, kubeconfig):
    """The guided session on a terminal: seconds from the end of its cluster read (its last kubectl call)
    to its first prompt. Returns (seconds, seconds from launch to the prompt)."""
    open(log, "w").close()
    t0 = time.time()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(porthole, [porthole, "--kubeconfig", kubeconfig], env)
    out, prompt_at = b"", None
    deadline = t0 + 60
    while time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        if re.search(rb"porthole[^\n>]*> ", out):
            prompt_at = time.time()
            break
    try:
        os.write(fd, b"quit\n")
        time.sleep(0.3)
        os.kill(pid, signal.SIGTERM)
    except OSError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)
    if prompt_at is None:
        raise SystemExit(f"bench: the guided session showed no prompt: {out[-600:]!r}")
    with open(log) as f:
        ends = [float(line.split()[1]) for line in f if len(line.split()) == 2]
    read_done = max((e for e in ends if e <= prompt_at), default=t0)
    return prompt_at - read_done, prompt_at - t0


def command_ms(argv, n=15):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        sh(argv)
        times.append((time.perf_counter() - t0) * 1000)
    return median(times)


def lab_gets(port, n=500):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    t0 = time.perf_counter()
    for _ in range(n):
        conn.request("GET", "/api/v1/namespaces/istio-system/services/prometheus", headers={"Accept": "application/json"})
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            raise SystemExit(f"bench: lab GET answered {r.status}")
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--latency", default="100ms")
    ap.add_argument("--short", action="store_true", help="CI: fewer runs, only the kubectl goal gates")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--porthole", default=os.environ.get("PORTHOLE_BIN"))
    a = ap.parse_args()
    porthole = a.porthole or os.path.join(ROOT, ".build", "release", "porthole")
    if not os.path.exists(porthole):
        raise SystemExit(f"bench: no porthole binary at {porthole}; build it (swift build -c release) or pass --porthole")
    runs = 2 if a.short else a.runs
    tmp = tempfile.mkdtemp(prefix="porthole-bench-")
    log = os.path.join(tmp, "kubectl-calls")
    results = {"runs": runs, "latency": a.latency, "scenario": "notes"}
    labs = []
    try:
        # The lab alone, with no latency: start time and 500 GETs.
        lab = Lab(porthole, tmp, None, prometheus=False)
        labs.append(lab)
        results["lab_start_s"] = lab.ready_after
        results["lab_500_gets_s"] = lab_gets(lab.api_port)
        lab.stop()

        lab = Lab(porthole, tmp, a.latency)
        labs.append(lab)
        env = counting_env(tmp, lab.kubeconfig, log)
        node, lb = "127.204.7.185", "127.204.7.185"
        measured = {
            "porthole": [porthole, "diagnose", "--kubeconfig", lab.kubeconfig],
            "by-hand": [os.path.join(ROOT, "bench", "by-hand.sh"), node, lb],
        }
        for argv in measured.values():
            timed(argv, env, log)  # warm-up: discovery caches, page cache
        # The limit: porthole's own batched read (every kind the diagnosis needs, one call), replayed alone.
        first = timed(measured["porthole"], env, log)
        gets = [a for a in first["argvs"] if "get" in a and "-A" in a and "--raw" not in a]
        if not gets:
            raise SystemExit(f"bench: porthole made no batched get: {first['argvs']}")
        limit_get = ["kubectl"] + gets[0]
        # ... plus the slowest outside probe porthole's diagnosis made, run alone.
        doc = json.loads(sh(measured["porthole"] + ["--format", "json"], env=env).stdout)
        outside = doc.get("outsideProbes", [])
        slowest = max(outside, key=lambda p: p["seconds"]) if outside else None
        results["slowest_outside_probe"] = slowest
        results["batched_get"] = " ".join(limit_get[:3]) + " ..."
        samples = {k: [] for k in measured}
        samples["limit"] = []
        for _ in range(runs):
            for name, argv in measured.items():
                samples[name].append(timed(argv, env, log))
            g = timed(limit_get, env, log)
            if g["exit"] != 0:
                raise SystemExit(f"bench: the limit's batched get failed ({g['exit']}): {g['stderr'][-600:]}")
            probe_s = slowest["seconds"] if slowest else 0.0
            samples["limit"].append({"wall": g["wall"] + probe_s, "kubectl": 1, "rss_mb": None, "exit": 0})
        # The guided session's first prompt, measured from the end of its cluster read.
        tenv, tlog = timing_env(env, tmp)
        repl_prompt_after_read(porthole, tenv, tlog, lab.kubeconfig)  # warm-up
        prompts = [repl_prompt_after_read(porthole, tenv, tlog, lab.kubeconfig) for _ in range(runs)]
        results["repl_prompt_after_read_ms"] = median([p[0] for p in prompts]) * 1000
        results["repl_prompt_after_launch_s"] = median([p[1] for p in prompts])
        lab.stop()
        for name, rows in samples.items():
            results[name] = {"wall_s": median([r["wall"] for r in rows]),
                             "kubectl": max(r["kubectl"] for r in rows),
                             "peak_rss_mb": max((r["rss_mb"] or 0) for r in rows) or None,
                             "exits": sorted({r["exit"] for r in rows})}
        results["porthole_last_stderr"] = samples["porthole"][-1]["stderr"][-600:]
        results["speedup_vs_by_hand"] = results["by-hand"]["wall_s"] / results["porthole"]["wall_s"]
        results["ratio_to_limit"] = results["porthole"]["wall_s"] / results["limit"]["wall_s"]
        results["version_ms"] = command_ms([porthole, "--version"])
        results["help_ms"] = command_ms([porthole, "--help"])
    finally:
        for lab in labs:
            lab.stop()  # also on errors: a lab left running would hold its addresses
        shutil.rmtree(tmp, ignore_errors=True)

    checks = [
        ("kubectl invocations per diagnosis", results["porthole"]["kubectl"], "<=", GOALS["kubectl_per_diagnosis_max"], True),
        ("speed-up vs by hand", results["speedup_vs_by_hand"], ">=", GOALS["speedup_vs_by_hand_min"], False),
        ("porthole / limit", results["ratio_to_limit"], "<=", GOALS["ratio_to_limit_max"], False),
        ("porthole --version (ms)", results["version_ms"], "<=", GOALS["version_ms_max"], False),
        ("porthole --help (ms)", results["help_ms"], "<=", GOALS["help_ms_max"], False),
        ("REPL first prompt after the read (ms)", results["repl_prompt_after_read_ms"], "<=", GOALS["repl_prompt_after_read_ms_max"], False),
        ("peak RSS of a diagnosis (MB)", results["porthole"]["peak_rss_mb"] or 0, "<=", GOALS["peak_rss_mb_max"], False),
        ("lab: 500 GETs (s)", results["lab_500_gets_s"], "<=", GOALS["lab_500_gets_s_max"], False),
        ("lab: start without Prometheus (s)", results["lab_start_s"], "<=", GOALS["lab_start_s_max"], False),
    ]
    print(f"porthole benchmark: notes scenario, API latency {a.latency}, median of {runs} runs after a warm-up")
    print(f"{'':28} {'wall s':>8} {'kubectl':>8} {'RSS MB':>8}")
    for name in ("porthole", "by-hand", "limit"):
        r = results[name]
        rss = f"{r['peak_rss_mb']:.1f}" if r["peak_rss_mb"] else "-"
        print(f"{name:28} {r['wall_s']:8.3f} {r['kubectl']:8d} {rss:>8}")
    print()
    missed = []
    results["goals"] = []
    for label, value, op, goal, gates_short in checks:
        ok = value <= goal if op == "<=" else value >= goal
        gates = gates_short or not a.short
        results["goals"].append({"goal": label, "value": value, "op": op, "target": goal, "met": ok, "gates": gates})
        print(f"{'ok  ' if ok else 'MISS'} {label:36} {value:10.3f} (goal {op} {goal}){'' if gates else '  [reported only]'}")
        if not ok and gates:
            missed.append(label)
    print(json.dumps(results, indent=2, default=str))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=2, default=str)
    if missed:
        print(f"bench: goals missed: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
