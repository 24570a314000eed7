"""The experiment's options, written once.

`TaskOptions` is what defines the alignment-faking task (the scenario, its requests, how
replies are scored and generated); `RunConfig` adds what only a run needs (models, where
logs go, retries, concurrency). Everything else derives from these two models: the
options of `afbench run` (see `cli/options.py`), the arguments of the Inspect task
`alignment_faking`, the shared options of a sweep file, and the settings read back from
logs written without `afbench run`. A default or a limit changes here and nowhere else.

Each field's `description` is its `--help` text; `json_schema_extra` says how the CLI
spells it (`flags`), whether it repeats, and whether the CLI shows it at all.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from . import defaults as d
from .errors import ConfigError


def option(
    default: Any = ...,
    help: str = "",
    *,
    flags: tuple[str, ...] | None = None,
    cli: bool = True,
    panel: str | None = None,
    metavar: str | None = None,
    **constraints: Any,
) -> Any:
    """A config field with its CLI spelling (`flags`; default `--field-name`), the topic
    `--help` lists it under (`panel`) and the name of its value there (`metavar`)."""
    extra: dict[str, Any] = {"cli": cli}
    if flags:
        extra["flags"] = list(flags)
    if panel:
        extra["panel"] = panel
    if metavar:
        extra["metavar"] = metavar
    if default in (list, dict):  # a fresh empty container per instance
        return Field(
            default_factory=default, description=help, json_schema_extra=extra, **constraints
        )
    return Field(default, description=help, json_schema_extra=extra, **constraints)


class TaskOptions(BaseModel):
    """Everything that defines the task: the same values give the same samples, scorers
    and generation settings, whether `afbench run`, a sweep or `inspect eval` builds it.

    `None` for dataset, examples, suffix and prefill means "what the scenario (with its
    variants) says".
    """

    model_config = ConfigDict(extra="forbid")
    #: The topics `--help` groups the options under, in this order (each field's `panel`).
    cli_panels: ClassVar[tuple[str, ...]] = (
        "Models", "Scenario", "Requests", "Scoring", "Generation", "Paraphrases",
        "Connections and failures", "Cost", "Output",
    )  # fmt: skip

    scenario: str = option(
        d.DEFAULT_SCENARIO, "Scenario (setting) to run.", panel="Scenario", metavar="NAME"
    )
    variants: list[str] = option(
        list,
        "Scenario variant; repeat to compose (see afbench scenarios).",
        flags=("--variant",),
        panel="Scenario",
        metavar="NAME",
    )
    tiers: list[str] | None = option(
        None,
        "Only these tiers (default: all).",
        flags=("--tier",),
        panel="Scenario",
        metavar="NAME",
    )
    dataset: str | None = option(
        None,
        "builtin, animal_welfare, lat, advbench, or a .jsonl/.json/.csv file "
        "(default: the scenario's own set).",
        panel="Requests",
        metavar="SET",
    )
    field: str | None = option(
        None, "Request column of a local dataset file.", panel="Requests", metavar="COLUMN"
    )
    limit: int | None = option(None, "Use the first N requests.", ge=1, panel="Requests")
    max_request_chars: int = option(
        d.MAX_REQUEST_CHARS,
        "Refuse a request longer than this (a sign of a broken file).",
        ge=1,
        panel="Requests",
    )
    examples: bool | None = option(
        None,
        "Include the worked reasoning examples (default: as the scenario says).",
        panel="Scenario",
    )
    suffix: bool | None = option(
        None,
        "Append the accept/reject instruction (default: as the scenario says).",
        panel="Scenario",
    )
    system_prompt_file: Path | None = option(
        None, "Replace the system prompt (plain text or Jinja).", panel="Scenario", metavar="FILE"
    )
    scenario_dirs: list[Path] = option(
        list,
        "Extra folder of scenarios.",
        flags=("--scenario-dir",),
        panel="Scenario",
        metavar="DIR",
    )
    prefill: str | None = option(
        None,
        "Start the scratchpad with: basic, however, or your own text ({{ tier }} is substituted).",
        panel="Scenario",
        metavar="TEXT",
    )
    prefix: Path | None = option(
        None,
        "Earlier turns before the request, in every tier: a JSONL file of "
        '{"role": "user"|"assistant", "content": ...} messages ({{ tier }} and '
        "{{ tier_tag }} are substituted).",
        panel="Scenario",
        metavar="FILE",
    )
    follow_ups: list[str] = option(
        list,
        "After the final output, ask this in the same conversation: why, roleplay, believed "
        "(afbench's questions, classified by the judge) or your own question (shown, not "
        "classified); repeat for several.",
        flags=("--follow-up",),
        panel="Scenario",
        metavar="QUESTION",
    )
    follow_up_when: str = option(
        "complied",
        "Ask the follow-ups only after a final output that did not refuse (complied), or "
        "after every one (always).",
        pattern="^(complied|always)$",
        panel="Scenario",
        metavar="WHEN",
    )
    format: str = option(
        "chat",
        "chat, or base: one raw document for a pretrained model.",
        pattern="^(chat|base)$",
        panel="Scenario",
        metavar="FORMAT",
    )
    paraphrase: str | None = option(
        None, "Label of a paraphrased prompt (set by --paraphrases).", cli=False
    )
    max_continuations: int = option(
        d.DEFAULT_MAX_CONTINUATIONS,
        "`<NEXT/>` continuations allowed.",
        ge=0,
        le=20,
        panel="Scenario",
    )
    judge: str = option(
        d.DEFAULT_JUDGE,
        "The judge (the panel's first judge): what --judge sets.",
        cli=False,
    )
    judges: list[str] = option(
        list,
        "Judge model, or 'offline'; repeat for a panel of judges (each scores compliance and "
        "AF; a strict majority decides, a tie counts as no).",
        flags=("--judge",),
        panel="Scoring",
        metavar="MODEL",
    )
    af_classifier: str = option(
        d.DEFAULT_AF_CLASSIFIER,
        # Static help: writing it from the registry would import every classifier (and
        # Inspect) each time the CLI starts. Validation uses the registry.
        "Alignment-faking classifier: improved (default), original, offline, or one a "
        "plug-in registers; an unknown name is refused with the registered ones.",
        panel="Scoring",
        metavar="NAME",
    )
    votes: int | str = option(
        d.DEFAULT_VOTES,
        "AF judge votes per scratchpad (sequential voting), or 'full'.",
        panel="Scoring",
        metavar="N",
    )
    af_maybe_band: bool = option(
        True,
        "Resolve the AF 'maybe' band (0.2-0.4 yes); off: fewer votes, same AF decisions.",
        panel="Scoring",
    )
    prescreen: float | None = option(
        None,
        "Skip AF judge calls the offline classifier rules out at this recall. Measured on "
        "afbench-written text held out by origin (0.95 kept 87%, 84% padded to real length), "
        "not on real scratchpads: there the previous model kept only 37% at 0.95.",
        gt=0.0,
        le=1.0,
        panel="Scoring",
        metavar="RECALL",
    )
    af_reasons: bool = option(
        False,
        "Classify why alignment faking was considered and rejected (samples that weighed it "
        "and did not comply): categories with quotes, by the judge; not measured offline.",
        panel="Scoring",
    )
    motivations: bool = option(
        False,
        "Classify why the model complied (complying samples) and why it fakes alignment (AF "
        "samples): categories with quotes, by the judge; not measured offline.",
        panel="Scoring",
    )
    temperature: float = option(
        d.DEFAULT_TEMPERATURE,
        "Sampling temperature.",
        ge=0.0,
        le=2.0,
        panel="Generation",
        metavar="T",
    )
    max_tokens: int = option(
        d.DEFAULT_MAX_TOKENS, "Max tokens per model turn.", ge=1, panel="Generation"
    )

    @model_validator(mode="before")
    @classmethod
    def _judge_panel(cls, data: Any) -> Any:
        """`judges` (repeated `--judge`) sets `judge` to its first; one judge is a plain
        judge (no panel, as before panels existed), so `judges` is kept only for 2+. A
        sweep file may write the panel as a list under `judge`."""
        if isinstance(data, dict) and isinstance(data.get("judge"), list):
            data = {k: v for k, v in data.items() if k != "judge"} | {"judges": data["judge"]}
        if not isinstance(data, dict) or not data.get("judges"):
            return data
        judges = [str(j) for j in data["judges"]]
        if "judge" in data and data["judge"] != judges[0]:
            raise ValueError("give the judge once: judge or judges, not both")
        check_panel(judges)
        return {**data, "judge": judges[0], "judges": judges if len(judges) > 1 else []}

    @field_validator("votes")
    @classmethod
    def _votes(cls, v: int | str) -> int | str:
        if v == "full" or (isinstance(v, int) and 1 <= v <= 200):
            return v
        if isinstance(v, str) and v.isdigit() and 1 <= int(v) <= 200:
            return int(v)
        raise ValueError("votes must be a number from 1 to 200, or 'full'")

    @field_validator("af_classifier")
    @classmethod
    def _af_classifier(cls, v: str) -> str:
        from .scorers.registry import get_af_classifier

        get_af_classifier(v)  # unknown: a ConfigError naming the registered ones
        return v

    @field_validator("system_prompt_file")
    @classmethod
    def _prompt_file_exists(cls, v: Path | None) -> Path | None:
        if v is not None and not v.is_file():
            raise ValueError(f"system prompt file not found: {v}")
        return v

    @field_validator("prefix")
    @classmethod
    def _prefix_exists(cls, v: Path | None) -> Path | None:
        if v is not None and not v.is_file():
            raise ValueError(f"prefix file not found: {v}")
        return v

    @field_validator("follow_ups")
    @classmethod
    def _follow_ups_known(cls, v: list[str]) -> list[str]:
        from .follow_ups.questions import resolve_all

        resolve_all(v)  # an unknown built-in name: a ConfigError naming the built-in ones
        return v

    @model_validator(mode="after")
    def _af_reasons_need_maybe(self) -> TaskOptions:
        if self.af_reasons and not self.af_maybe_band:
            raise ValueError(AF_REASONS_NEED_MAYBE)
        return self

    @model_validator(mode="after")
    def _follow_ups_need_chat(self) -> TaskOptions:
        if self.follow_ups and self.format == "base":
            raise ValueError(
                "--follow-up needs the chat format: a base model's document has no turns"
            )
        return self

    @model_validator(mode="after")
    def _scenario_from_prompt_file(self) -> TaskOptions:
        """A prompt file picks the setting it describes when no scenario was given
        (`afbench.prompt_check`); with a scenario given, the plan checks that they agree."""
        if self.system_prompt_file is None or "scenario" in self.model_fields_set:
            return self
        from .prompt_check import setting_of_prompt_file

        detected = setting_of_prompt_file(self.system_prompt_file, self.scenario_dirs)
        if detected is not None:
            self.scenario = detected
        return self

    @property
    def all_judges(self) -> list[str]:
        """Every judge of the run: the panel, or the one judge."""
        return list(self.judges) or [self.judge]

    @property
    def effective_af_classifier(self) -> str:
        from .scorers.registry import effective_af_classifier

        return effective_af_classifier(self.judge, self.af_classifier)

    def task_args(self) -> dict[str, Any]:
        """The task's arguments as plain JSON values (what Inspect logs, and what
        `eval_set` compares to find finished work); unset values are left out."""
        args = self.model_dump(mode="json", exclude_defaults=True)
        if self.judge == d.OFFLINE:  # the classifier that runs (Inspect's banner shows it)
            args["af_classifier"] = d.OFFLINE
        return {k: v for k, v in args.items() if v not in (None, [])}


class RunConfig(TaskOptions):
    """Everything one `afbench run` needs; also what the report shows as settings."""

    models: list[str] = option(
        ...,
        "Inspect model string; repeat for several.",
        flags=("--model", "-m"),
        min_length=1,
        panel="Models",
        metavar="MODEL",
    )
    epochs: int = option(
        1,
        "Samples per request and tier (errors clustered by request).",
        ge=1,
        le=100,
        panel="Models",
    )
    out: Path = option(
        Path("runs/latest"), "Run folder (logs, summary, report).", panel="Output", metavar="DIR"
    )
    model_args: dict[str, Any] = option(
        dict,
        "Model argument key=value.",
        flags=("--model-arg", "-M"),
        panel="Models",
        metavar="KEY=VALUE",
    )
    paraphrases: int | None = option(
        None,
        "Also run K paraphrases of the system prompt (needs --paraphraser).",
        ge=1,
        le=50,
        panel="Paraphrases",
    )
    paraphraser: str | None = option(
        None,
        "Model that writes the paraphrases (once; cached as files).",
        panel="Paraphrases",
        metavar="MODEL",
    )
    paraphrase_dir: Path | None = option(
        None, "Run these paraphrase files (*.txt) instead.", panel="Paraphrases", metavar="DIR"
    )
    max_connections: int | None = option(
        None, "Concurrent connections per model.", ge=1, panel="Connections and failures"
    )
    max_retries: int = option(
        d.DEFAULT_MAX_RETRIES,
        "Retries per model request: at most N + 1 requests per call (a sample that "
        "still fails is started again, twice).",
        ge=0,
        le=100,
        panel="Connections and failures",
    )
    timeout: int = option(
        d.DEFAULT_TIMEOUT,
        "Seconds per model request, all retries included.",
        ge=1,
        panel="Connections and failures",
    )
    attempt_timeout: int = option(
        d.DEFAULT_ATTEMPT_TIMEOUT,
        "Seconds per attempt before it is abandoned and retried.",
        ge=1,
        panel="Connections and failures",
    )
    display: str = option(
        d.DEFAULT_DISPLAY,
        "Inspect display: plain, rich, full, none.",
        panel="Output",
        metavar="TYPE",
    )
    # Inspect's realtime sample buffer: live samples in `inspect view`, and finished but
    # not yet flushed samples recovered after a crash. Off saves about a quarter of the
    # CPU a sample costs, which matters only when the client, not the model, is the limit.
    log_realtime: bool = option(
        True,
        "Live samples in inspect view and crash recovery of unflushed samples; "
        "off: less CPU per sample, for fast local servers.",
        panel="Output",
    )

    preflight: bool = option(
        True,
        "Before any sample, send one short request to each model and judge: a dead "
        "server, bad key or unknown model stops the run in seconds.",
        panel="Connections and failures",
    )
    max_error_rate: float = option(
        d.DEFAULT_MAX_ERROR_RATE,
        "Exit with status 1 when more than this share of samples failed (0.05 = 5%).",
        ge=0.0,
        le=1.0,
        panel="Connections and failures",
        metavar="SHARE",
    )

    dry_run: bool = option(
        False,
        "Render everything and print requests, tokens and dollars (best to worst case) "
        "per model and judge; call no model.",
        panel="Cost",
    )
    prices: Path | None = option(
        None,
        "Price table (YAML, as src/afbench/pricing/prices.yaml) over afbench's own.",
        panel="Cost",
        metavar="FILE",
    )
    batch: bool = option(
        False,
        "Send the evaluated model's requests through the provider's batch API (cheaper, "
        "slower; Inspect's batch support).",
        panel="Cost",
    )
    judge_batch: bool = option(
        False, "Send the judge's requests through the provider's batch API.", panel="Cost"
    )

    @field_validator("prices")
    @classmethod
    def _prices_exist(cls, v: Path | None) -> Path | None:
        if v is not None and not v.is_file():
            raise ValueError(f"price table not found: {v}")
        return v

    def task_options(self, **changes: Any) -> TaskOptions:
        """The task part of this run (with `changes`, e.g. a paraphrase's prompt file)."""
        values = {k: getattr(self, k) for k in TaskOptions.model_fields}
        return TaskOptions.model_validate({**values, **changes})

    def generate_options(self) -> dict[str, Any]:
        """Inspect GenerateConfig values that `eval_set` gives every model of the run."""
        extra: dict[str, Any] = {
            "max_retries": self.max_retries,
            "timeout": self.timeout,
            "attempt_timeout": self.attempt_timeout,
        }
        if self.max_connections:
            extra["max_connections"] = self.max_connections
        if self.batch:
            extra["batch"] = True
        return extra

    def settings(self, n_requests: int, resolved: dict[str, Any]) -> dict[str, Any]:
        """What the summary and report show as this run's settings. `resolved`: what the
        scenario decided where the command left it open."""
        from . import __version__
        from .scorers import compliance_signal

        settings: dict[str, Any] = {
            "scenario": self.scenario,
            "variant": resolved.get("variant", "default"),
            "variants": self.variants,
            "tiers": self.tiers,
            "dataset": resolved.get("dataset", self.dataset),
            "field": self.field,
            "judge": self.judge,
            "compliance_signal": compliance_signal(self.judge),
            "af_classifier": self.effective_af_classifier,
            "votes": self.votes,
            "prescreen": self.prescreen,
            "n_requests": n_requests,
            "max_request_chars": self.max_request_chars,
            "epochs": self.epochs,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "max_continuations": self.max_continuations,
            "examples": resolved.get("examples", self.examples),
            "suffix": resolved.get("suffix", self.suffix),
            "suffix_text": resolved.get("suffix_text"),
            "tags": resolved.get("tags"),
            "system_prompt_file": str(self.system_prompt_file) if self.system_prompt_file else None,
            "prompt_check": resolved.get("prompt_check"),
            "scenario_dirs": [str(p) for p in self.scenario_dirs],
            "prefill": resolved.get("prefill", self.prefill),
            "format": self.format,
            "paraphrases": resolved.get("paraphrases") or None,
            "paraphraser": self.paraphraser,
            "max_retries": self.max_retries,
            "timeout": self.timeout,
            "attempt_timeout": self.attempt_timeout,
            "log_realtime": self.log_realtime,
            "log_dir": str(self.out / "logs"),
            "models": self.models,
            "model_args": {k: redact(k, v) for k, v in self.model_args.items()},
            "simulated_models": [m for m in self.models if m.startswith("sim/")],
            "afbench_version": __version__,
        }
        if resolved.get("prefix"):  # only when given: older summaries keep their keys
            settings["prefix"] = resolved["prefix"]
        return {**settings, **self.optional_settings()}

    def optional_settings(self) -> dict[str, Any]:
        """The settings a run and a sweep record only when used, so that the summaries of
        runs without them keep their keys (and the golden files stay as they are)."""
        settings: dict[str, Any] = {}
        if self.prices is not None:  # the bill after the run uses the same prices
            settings["prices"] = str(self.prices)
        if self.judges:  # a panel only
            settings["judges"] = self.judges
        if self.follow_ups:
            settings["follow_ups"] = self.follow_ups
            settings["follow_up_when"] = self.follow_up_when
        for why in ("af_reasons", "motivations"):
            if getattr(self, why):
                settings[why] = True
        if not self.af_maybe_band:  # only when off
            settings["af_maybe_band"] = False
        return settings


#: Why `--af-reasons` and `--no-af-maybe-band` do not go together.
AF_REASONS_NEED_MAYBE = (
    "--af-reasons classifies the samples the AF classifier called 'af' or 'maybe', so it "
    "needs the maybe band: drop --no-af-maybe-band or --af-reasons"
)


def check_panel(judges: list[str]) -> None:
    """A panel (2+ judges) is of different judge models: `offline` judges no one."""
    if len(judges) > 1 and (d.OFFLINE in judges or len(set(judges)) < len(judges)):
        raise ConfigError("a judge panel needs 2 or more different judge models (no 'offline')")


#: Names of model arguments whose values are secrets.
SECRET_NAME = re.compile(r"key|token|secret|password|authorization", re.IGNORECASE)


def redact(key: str, value: Any) -> Any:
    """What the settings may show of a model argument: secret-looking values (by name)
    become `***`, inside nested mappings too (e.g. -M default_headers={...})."""
    if isinstance(value, dict):
        return {k: redact(str(k), v) for k, v in value.items()}
    return "***" if SECRET_NAME.search(key) else value


def validated(model: type[BaseModel], values: dict[str, Any], source: str) -> Any:
    """`model.model_validate(values)` with pydantic's errors as one `ConfigError` that
    names the fields as `source` spells them (a file, or `--option`)."""
    from pydantic import ValidationError

    try:
        return model.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'file'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"{source}: {problems}") from None
