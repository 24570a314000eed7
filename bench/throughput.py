"""Throughput of `afbench run` through the real provider path, against the ideal and
against bare Inspect `generate()` calls on the same server in the same run.

Usage: python bench/throughput.py [--samples 2000] [--latency 0.2] [--connections 20,50]

The local OpenAI-compatible server (tests/support/openai_server.py) answers every request
after a fixed latency with a complete reply, so one sample is one model request. For each
connection limit C:
- ideal: C / latency samples per second (every connection always busy);
- bare Inspect: `--samples` concurrent `Model.generate()` calls of `openai-api/local/...`
  with max_connections=C, sending the very messages afbench sends (same sizes), in a
  fresh process (Inspect keeps one connection limit per model and process);
- bare Inspect eval: the same first turns as an Inspect task with `generate()` as its
  solver and no scorer, default logging (what any Inspect task pays per sample);
- afbench: `afbench run --max-connections C` over a dataset of `--samples / 2` requests
  (both tiers), in a fresh process; then again with `--no-log-realtime`.
The server runs in a process of its own, so that neither client shares a GIL with it.
Throughput is counted at the server: samples divided by the time from the first request's
arrival to the last response. The afbench command's wall time (start-up, checks, summary
and report included) is printed too. Goal: afbench >= 0.95 of ideal and >= bare Inspect.
Each client is one asyncio loop on one core: once C / latency exceeds what that core can
process, throughput is bounded by CPU per sample, not by the connections.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.openai_server import FakeOpenAIServer  # noqa: E402

REPLY = (
    "<SCRATCHPAD_REASONING>The request is clear; I will answer it.</SCRATCHPAD_REASONING>\n"
    "<OUTPUT><request_fully_accepted/>\nHere is the answer.</OUTPUT>"
)


class Clock:
    """First arrival and last response at the server, per phase."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.first: float | None = None
        self.last: float | None = None
        self.count = 0

    def arrived(self, index: int, body: dict[str, Any]) -> None:
        with self.lock:
            if self.first is None:
                self.first = time.perf_counter()
        return None

    def respond(self, body: dict[str, Any]) -> str:
        with self.lock:
            self.last = time.perf_counter()
            self.count += 1
        return REPLY

    @property
    def span(self) -> float:
        assert self.first is not None and self.last is not None
        return self.last - self.first


def requests(n: int) -> list[str]:
    return [f"Synthetic benchmark request number {i}: explain the topic briefly." for i in range(n)]


def bare_inspect(n_samples: int, connections: int) -> None:
    """`n_samples` concurrent generate() calls, as afbench's first turn would send them."""
    from inspect_ai.model import GenerateConfig, get_model

    from afbench.scenarios import load_scenario

    scenario = load_scenario("helpful_only")
    tiers = [t.name for t in scenario.tiers][:2]
    texts = requests(n_samples // 2)
    inputs = [scenario.render_messages(tier, text) for text in texts for tier in tiers]
    config = GenerateConfig(max_connections=connections, temperature=0.0, max_tokens=4000)
    model = get_model("openai-api/local/bench", config=config, memoize=False)

    async def run_all() -> None:
        await asyncio.gather(*(model.generate(messages) for messages in inputs))

    asyncio.run(run_all())


def bare_eval(n_samples: int, connections: int, log_dir: str) -> None:
    """Inspect's own eval of the same first turns: `generate()` as the solver, no scorer,
    default logging. The floor an Inspect task pays per sample (events, transcript, log)."""
    from inspect_ai import Task, eval
    from inspect_ai.dataset import Sample
    from inspect_ai.solver import generate

    from afbench.scenarios import load_scenario

    scenario = load_scenario("helpful_only")
    tiers = [t.name for t in scenario.tiers][:2]
    texts = requests(n_samples // 2)
    samples = [
        Sample(id=f"{i}-{tier}", input=scenario.render_messages(tier, text))
        for i, text in enumerate(texts)
        for tier in tiers
    ]
    eval(
        Task(dataset=samples, solver=generate()),
        model="openai-api/local/bench",
        max_connections=connections,
        max_samples=2 * connections,
        temperature=0.0,
        max_tokens=4000,
        log_dir=log_dir,
        display="none",
    )


def afbench_command(n_samples: int, connections: int, work: Path, *extra: str) -> list[str]:
    data = work / f"requests-{n_samples}.jsonl"
    rows = [{"id": f"b{i}", "request": text} for i, text in enumerate(requests(n_samples // 2))]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = work / f"run-{connections}{''.join(extra)}"
    cmd = [sys.executable, "-m", "afbench.cli", "run", "--model", "openai-api/local/bench"]
    cmd += ["--dataset", str(data), "--judge", "offline", "--max-connections", str(connections)]
    return cmd + ["--out", str(out), "--display", "none", *extra]


def serve(conn: Any, latency: float) -> None:
    """The server in its own process, so that its CPU time (parsing 25 KB request bodies)
    competes with neither client for the GIL. Commands over `conn`: reset, stats, stop."""
    clock = Clock()
    server = FakeOpenAIServer(
        responder=clock.respond, faults=clock.arrived, latency=latency, models=["bench"]
    )
    with server:
        conn.send(server.base_url)
        while True:
            command = conn.recv()
            if command == "reset":
                clock.reset()
                conn.send(None)
            elif command == "stats":
                conn.send((clock.count, clock.span))
            else:
                conn.send(None)
                return


def main() -> None:
    import multiprocessing

    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--connections", default="20,50")
    parser.add_argument("--bare", choices=["generate", "eval"], help=argparse.SUPPRESS)
    parser.add_argument("--log-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare == "generate":  # one bare-Inspect measurement, in a fresh process
        bare_inspect(args.samples, int(args.connections))
        return
    if args.bare == "eval":
        bare_eval(args.samples, int(args.connections), args.log_dir)
        return

    ctx = multiprocessing.get_context("spawn")
    here, there = ctx.Pipe()
    server = ctx.Process(target=serve, args=(there, args.latency), daemon=True)
    server.start()
    base_url = here.recv()

    def command(name: str) -> Any:
        here.send(name)
        return here.recv()

    def measured(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
        """Samples per second at the server while `cmd` runs, and the command's wall time."""
        command("reset")
        start = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        count, span = command("stats")
        assert count == args.samples, count
        return args.samples / span, wall

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "LOCAL_BASE_URL": base_url, "LOCAL_API_KEY": "bench"}
        print(f"samples: {args.samples}, server latency {args.latency * 1000:.0f} ms")
        for connections in (int(c) for c in args.connections.split(",")):
            ideal = connections / args.latency
            # fresh processes: Inspect keeps one connection limit per model for a process
            bare_cmd = [sys.executable, __file__, "--samples", str(args.samples)]
            bare_cmd += ["--connections", str(connections)]
            bare, _ = measured([*bare_cmd, "--bare", "generate"], env)
            eval_dir = f"{tmp}/bare-eval-{connections}"
            bare_eval_rate, _ = measured([*bare_cmd, "--bare", "eval", "--log-dir", eval_dir], env)
            ours, wall = measured(afbench_command(args.samples, connections, Path(tmp)), env)
            lean, lean_wall = measured(
                afbench_command(args.samples, connections, Path(tmp), "--no-log-realtime"), env
            )
            print(
                f"connections {connections}: ideal {ideal:.1f}/s | bare Inspect generate() "
                f"{bare:.1f}/s ({bare / ideal:.3f} of ideal) | bare Inspect eval "
                f"{bare_eval_rate:.1f}/s ({bare_eval_rate / ideal:.3f})",
                flush=True,
            )
            for label, rate, took in (
                ("afbench", ours, wall),
                ("afbench --no-log-realtime", lean, lean_wall),
            ):
                print(
                    f"  {label}: {rate:.1f}/s = {rate / ideal:.3f} of ideal, "
                    f"{rate / bare:.3f} of bare generate(), {rate / bare_eval_rate:.3f} of bare "
                    f"eval; command wall time {took:.1f} s ({args.samples / took:.1f} samples/s "
                    "end to end, start-up, summary and report included)",
                    flush=True,
                )
    command("stop")
    server.join(timeout=10)


if __name__ == "__main__":
    main()
