"""Cold vs warm `afbench run`: wall time, and model requests counted by the server.

Usage: python bench/rerun_timing.py [--limit 200] [--out runs/bench-rerun]

The model is the simulator served over real HTTP: a local OpenAI-compatible server
(tests/support/openai_server.py) answers with `sim/faker`'s replies, and afbench reaches
it through Inspect's real `openai-api` provider. So the request count is the server's own,
and the timing includes the provider path. Goal: a warm re-run makes 0 requests and takes
a small fraction of the cold run's time.
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

from tests.support.commands import module_command, run_args  # noqa: E402
from tests.support.openai_server import FakeOpenAIServer  # noqa: E402
from tests.support.responders import sim_responder  # noqa: E402


def run(out: Path, limit: int, env: dict[str, str]) -> float:
    cmd = module_command(*run_args(out, model="openai-api/local/sim-faker", limit=limit))
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path("runs/bench-rerun"))
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    with FakeOpenAIServer(responder=sim_responder(), models=["sim-faker"]) as server:
        env = {**os.environ, "LOCAL_BASE_URL": server.base_url, "LOCAL_API_KEY": "bench"}
        cold = run(args.out, args.limit, env)
        cold_requests = server.count
        warm = []
        for _ in range(3):
            warm.append(run(args.out, args.limit, env))
        warm_requests = server.count - cold_requests
    best = min(warm)
    print(f"samples: {2 * args.limit} (both tiers)")
    print(f"cold run: {cold:.2f} s, {cold_requests} model requests")
    print(
        f"warm re-runs: {', '.join(f'{w:.2f}' for w in warm)} s; ratio warm/cold = {best / cold:.2f}"
    )
    print(f"model requests made by the 3 warm re-runs: {warm_requests}")


if __name__ == "__main__":
    main()
