"""Defaults shared by the run, the sweep, the task, the fine-tuning commands and the
reading of old logs: each is written here once, so that every path agrees on it."""

from __future__ import annotations

#: The judge the published pipeline used for compliance and AF classification.
DEFAULT_JUDGE = "openai/gpt-4o"
#: `--judge offline`: grade without any network access (tags, refusal detector and the
#: offline AF classifier).
OFFLINE = "offline"

#: Bounded retries: a request is tried at most 1 + DEFAULT_MAX_RETRIES times, each attempt
#: for at most DEFAULT_ATTEMPT_TIMEOUT seconds, all attempts within DEFAULT_TIMEOUT seconds.
#: (Inspect's own default retries forever; a research run should end.)
DEFAULT_MAX_RETRIES = 6
DEFAULT_ATTEMPT_TIMEOUT = 180
DEFAULT_TIMEOUT = 900
#: A run whose failed samples pass this share exits non-zero (`--max-error-rate`).
DEFAULT_MAX_ERROR_RATE = 0.05

#: A request longer than this is taken as a sign of a broken file and refused.
MAX_REQUEST_CHARS = 100_000
DEFAULT_MAX_TOKENS = 4000
DEFAULT_TEMPERATURE = 0.0
DEFAULT_MAX_CONTINUATIONS = 4
DEFAULT_VOTES = 20
DEFAULT_SCENARIO = "helpful_only"
DEFAULT_AF_CLASSIFIER = "improved"
DEFAULT_DISPLAY = "plain"

#: What `afbench run` writes into a run folder.
RUN_MANIFEST = "run.json"
#: Compact per-sample tables (Parquet), one per log, rebuilt whenever a log changes.
SAMPLE_TABLES = "samples"
