"""`afbench report` over logs of 100,000 samples: wall time and peak memory, cold and warm.

Usage: python bench/report_scale.py [--samples 100000] [--logs 10] [--dir runs/bench-report-scale]

The logs are made from a real run: `sim/faker` answers 100 requests in both tiers (200
samples with every message, event, score and attachment an afbench sample has, about 90 KB
of JSON each), and those samples are copied under new request ids into `--logs` logs of
`--samples / --logs` samples, one model per log, written with Inspect's own
`write_eval_log`. Generated logs are kept and reused when the folder already holds them.

Then `afbench report DIR` runs in a fresh process, three times:
- cold: no per-sample tables (`DIR/samples/`), so every log is read sample by sample;
- warm: the tables exist (what every report after the first, and after `afbench run`, reads);
- warm again.
Peak memory is the largest total resident set size of the report process and its
workers. Goal: < 30 s and < 2 GB on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def template_log(work: Path) -> Path:
    """A 200-sample log from a real `sim/faker` run (made once)."""
    out = work / "template"
    logs = sorted((out / "logs").glob("*.eval"))
    if not logs:
        cmd = [sys.executable, "-m", "afbench.cli", "run", "--model", "sim/faker"]
        cmd += ["--limit", "100", "--judge", "offline", "--out", str(out), "--display", "none"]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        logs = sorted((out / "logs").glob("*.eval"))
    return logs[0]


def write_logs(template: Path, target: Path, samples: int, n_logs: int) -> None:
    """`n_logs` logs of `samples // n_logs` samples each, copied from the template."""
    from inspect_ai.log import read_eval_log, write_eval_log

    base = read_eval_log(str(template))
    assert base.samples
    per_log = samples // n_logs
    rounds = -(-per_log // len(base.samples))
    (target / "logs").mkdir(parents=True, exist_ok=True)
    for k in range(n_logs):
        copies = []
        for r in range(rounds):
            for s in base.samples:
                if len(copies) == per_log:
                    break
                md = dict(s.metadata or {})
                rid = f"{md['request_id']}-{r}"
                md["request_id"] = rid
                new_id = f"{rid}__{md['tier']}"
                # shallow copies share the messages and events: memory stays small
                copies.append(s.model_copy(update={"id": new_id, "metadata": md}))
        dataset = base.eval.dataset.model_copy(
            update={"samples": len(copies) // 2, "sample_ids": [s.id for s in copies]}
        )
        eval_spec = base.eval.model_copy(
            update={"model": f"sim/faker-copy-{k}", "dataset": dataset}
        )
        results = base.results.model_copy(
            update={"total_samples": len(copies), "completed_samples": len(copies)}
        )
        log = base.model_copy(update={"eval": eval_spec, "samples": copies, "results": results})
        path = target / "logs" / f"scale-{k:02d}.eval"
        start = time.perf_counter()
        write_eval_log(log, str(path))
        print(
            f"  wrote {path.name}: {len(copies)} samples, "
            f"{path.stat().st_size / 1e6:.0f} MB, {time.perf_counter() - start:.0f} s",
            flush=True,
        )


def report(target: Path) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of `afbench report target` in a fresh process.

    Peak memory is the largest sum of resident set sizes over the process and its
    children (the worker processes that read logs in parallel), sampled every 20 ms.
    """
    import psutil  # an Inspect dependency

    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "afbench.cli", "report", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    root = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        total = 0
        try:
            for p in [root, *root.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        peak = max(peak, total)
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    output = proc.stdout.read() if proc.stdout else ""
    if proc.returncode != 0:
        raise SystemExit(output)
    return elapsed, peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--logs", type=int, default=10)
    parser.add_argument("--dir", type=Path, default=Path("runs/bench-report-scale"))
    args = parser.parse_args()

    target = args.dir / f"{args.samples}x{args.logs}"
    logs = sorted((target / "logs").glob("*.eval"))
    if len(logs) != args.logs:
        shutil.rmtree(target, ignore_errors=True)
        print(f"generating {args.samples:,} samples in {args.logs} logs ...", flush=True)
        start = time.perf_counter()
        write_logs(template_log(args.dir), target, args.samples, args.logs)
        print(f"  done in {time.perf_counter() - start:.0f} s", flush=True)
    size = sum(p.stat().st_size for p in (target / "logs").glob("*.eval"))
    print(f"logs: {args.logs} files, {size / 1e6:.0f} MB, {args.samples:,} samples")
    print(f"cpus: {os.cpu_count()}")

    for label, clear in (("cold", True), ("warm", False), ("warm again", False)):
        if clear:
            shutil.rmtree(target / "samples", ignore_errors=True)
        elapsed, peak = report(target)
        print(f"{label:>10}: {elapsed:6.1f} s, peak memory {peak:,.0f} MB", flush=True)


if __name__ == "__main__":
    main()
