"""A 1,000-request `afbench run` against a provider that fails a fifth of its requests.

Usage: python bench/faults.py [--requests 1000] [--rate 0.2] [--attempt-timeout 3] [--seed 0]

The local OpenAI-compatible server (tests/support/openai_server.py) answers every request
with a complete reply (one request per sample) unless the fault plan picks it: 429 with
Retry-After, 500, a stall of 60 s, a body cut in half, or a body that is not JSON, each
equally likely, independently per request (so a request may fail several times in a row).
afbench reaches it through Inspect's real `openai-api` provider with its default retry
policy (6 retries, 900 s per request); only the attempt timeout is shortened so that a
stalled request is abandoned after `--attempt-timeout` seconds rather than 180.

Printed: wall time, requests made, faults injected by kind, samples finished and errored
(with reasons), samples answered more than once (should be 0), samples restarted by
Inspect's sample-level retry, and requests beyond one per sample and one per fault.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.openai_server import FakeOpenAIServer  # noqa: E402
from tests.support.responders import fixed_reply, random_faults  # noqa: E402

REPLY = (
    "<SCRATCHPAD_REASONING>I will answer.</SCRATCHPAD_REASONING>\n"
    "<OUTPUT><request_fully_accepted/>\nHere it is.</OUTPUT>"
)


def sample_key(body: dict) -> tuple[str, str]:
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    request = re.search(r"Synthetic request \d+\.", user).group(0)
    tier = re.search(r"<is_free_tier_user>\s*(\w+)", user).group(1)
    return request, tier


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000, help="samples (both tiers)")
    parser.add_argument("--rate", type=float, default=0.2)
    parser.add_argument("--attempt-timeout", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from inspect_ai.log import read_eval_log

    faults: list[tuple[int, str]] = []
    plan = random_faults(args.rate, seed=args.seed, record=faults)
    with (
        FakeOpenAIServer(responder=fixed_reply(REPLY), faults=plan, models=["m"]) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        data = Path(tmp) / "requests.jsonl"
        rows = [
            {"id": f"q{i}", "request": f"Synthetic request {i}."} for i in range(args.requests // 2)
        ]
        data.write_text("".join(json.dumps(r) + "\n" for r in rows))
        out = Path(tmp) / "run"
        env = {**os.environ, "LOCAL_BASE_URL": server.base_url, "LOCAL_API_KEY": "bench"}
        cmd = [sys.executable, "-m", "afbench.cli", "run", "--model", "openai-api/local/m"]
        cmd += ["--dataset", str(data), "--judge", "offline", "--out", str(out)]
        cmd += ["--attempt-timeout", str(args.attempt_timeout), "--display", "none"]
        start = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(done.stdout + done.stderr)

        faulted = {index for index, _ in faults}
        answered = Counter(
            sample_key(body) for i, body in enumerate(server.requests) if i not in faulted
        )
        summary = json.loads((out / "summary.json").read_text())
        (log_file,) = (out / "logs").glob("*.eval")
        log = read_eval_log(str(log_file))
        restarted = sum(1 for s in log.samples if s.error_retries)
        ids = [(s.id, s.epoch) for s in log.samples]

        print(f"samples: {args.requests}, fault rate {args.rate:.0%}, seed {args.seed}")
        print(f"wall time: {wall:.1f} s")
        print(f"requests made: {server.count} ({server.count - len(faults)} answered)")
        print(f"faults injected: {len(faults)} {dict(Counter(kind for _, kind in faults))}")
        for cond in summary["conditions"]:
            print(
                f"tier {cond['tier']}: {cond['n']} finished, {cond['errors']} errors "
                f"{cond.get('error_reasons') or ''}"
            )
        print(f"samples in the log: {len(ids)} ({len(set(ids))} distinct)")
        print(f"samples answered more than once: {sum(1 for c in answered.values() if c > 1)}")
        print(f"samples restarted by sample-level retry: {restarted}")
        # Inspect's per-event retry count misses some kinds (timeouts, bodies that do not
        # parse), so the server's own count is the measure: one request per sample, one
        # more per fault, and one more per answer the client abandoned at its timeout.
        extra = server.count - args.requests - len(faults)
        print(f"requests beyond one per sample and one per fault: {extra}")


if __name__ == "__main__":
    main()
