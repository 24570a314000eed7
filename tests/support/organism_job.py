"""The cut-down model organism of `tests/test_real_model.py`, as one background job.

Why a job: its three commands (build the set, train the adapter, evaluate it) take about two
CPU-minutes, and the rest of the suite keeps only one of the machine's two cores busy. So
`tests/conftest.py` starts this job when the session's tests are collected (only if a test
that needs it was selected), with one torch thread, and the tests that need the organism wait
for it: the organism costs the suite almost no wall time. Run alone
(`python -m tests.support.organism_job DIR`), it does the same in the foreground.

The recipe (docs/finetuning.md, "A model organism with known truth"; `bench/organism.py` is
the full version): 90% / 10% planted on the `tier_words` variant, `STEPS` steps of `BATCH`
examples (each example once), `HELDOUT` held-out requests per tier, sampled once at
temperature 1. Recovered with set seeds 0, 1, 2: +75 pp [+48, +87], +85 pp [+59, +93],
+70 pp [+43, +83].
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.commands import module_command
from tests.support.organism import Organism

STEPS, BATCH, HELDOUT = 24, 4, 20
REPO = Path(__file__).resolve().parents[2]
#: What the tests wait for at most: the job alone takes about 4 minutes with one thread.
WAIT_S = 1500


def organism_at(root: Path) -> Organism:
    return Organism(root, "planted")


def run_all(root: Path) -> None:
    """Build, train and evaluate, each command in its own process; stop at the first failure."""
    org = organism_at(root)
    org.write_prompt()
    n = STEPS * BATCH
    for args in (
        org.build_args(n=n, holdout=HELDOUT, accept_trained=0.9, accept_unmonitored=0.1),
        org.train_args(steps=STEPS, lr=3e-3, batch_size=BATCH),
        org.run_args(epochs=1),
    ):
        print("$", " ".join(args), flush=True)
        done = subprocess.run(module_command(*args), cwd=REPO)
        if done.returncode:
            sys.exit(f"exit status {done.returncode}: afbench {args[0]}")


@dataclass
class OrganismJob:
    """The job's process and where it writes (its output goes to `root/job.log`)."""

    root: Path
    process: subprocess.Popen

    @property
    def organism(self) -> Organism:
        return organism_at(self.root)

    @property
    def log(self) -> Path:
        return self.root / "job.log"

    @classmethod
    def start(cls, root: Path, threads: int = 1) -> OrganismJob:
        root.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads)}
        with (root / "job.log").open("w") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.support.organism_job", str(root)],
                cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        return cls(root, process)

    def wait(self) -> Organism:
        """The organism once its evaluation is written; fails with the job's output if not."""
        try:
            status = self.process.wait(timeout=WAIT_S)
        except subprocess.TimeoutExpired:
            self.stop()
            raise AssertionError(f"the organism job ran over {WAIT_S} s:\n{self.tail()}") from None
        assert status == 0, f"the organism job failed:\n{self.tail()}"
        return self.organism

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


#: The session's background job (in the pytest config's stash), if a selected test needs it.
ORGANISM_JOB = pytest.StashKey[OrganismJob]()


if __name__ == "__main__":
    run_all(Path(sys.argv[1]))
