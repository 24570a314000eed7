"""Settings of the training-data commands: `afbench docs generate` and `afbench sets build`.

Each field is one command-line option (but those marked `NOT_AN_OPTION`): its description
is the option's help, so the CLI builds its options from these models (`afbench.cli.options`)
and a setting is written once. This module is light
(pydantic only): the CLI imports it to list the options, before any pipeline is loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ...defaults import DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from .tokens import TOKENS_PER_WORD


class GenerationSettings(BaseModel):
    """How a training-data command calls its generator: what every such command shares."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(description="Generator: an Inspect model string.")
    temperature: float | None = Field(default=1.0, ge=0.0, description="Generator temperature.")
    max_connections: int = Field(default=10, ge=1, description="Model calls in flight at once.")
    cache: bool = Field(default=True, description="Use Inspect's response cache.")
    batch: int | None = Field(
        default=None,
        ge=1,
        description="Use the provider's batch API, in batches of this size (cheaper, slower).",
    )
    max_errors: int = Field(
        default=10, ge=0, description="Failed calls tolerated before the run stops."
    )
    max_retries: int = Field(
        default=DEFAULT_MAX_RETRIES, ge=0, description="Retries per model call."
    )
    timeout: int = Field(
        default=DEFAULT_TIMEOUT, ge=1, description="Seconds per model call, retries included."
    )
    attempt_timeout: int = Field(
        default=DEFAULT_ATTEMPT_TIMEOUT, ge=1, description="Seconds per attempt."
    )
    price_input: float | None = Field(
        default=None, ge=0, description="$ per 1M input tokens, for the cost estimate."
    )
    price_output: float | None = Field(
        default=None, ge=0, description="$ per 1M output tokens, for the cost estimate."
    )

    #: Fields the card leaves out of its `settings` (recorded elsewhere, or not settings).
    card_skip: ClassVar[frozenset[str]] = frozenset({"out", "model", "price_input", "price_output"})

    def card_settings(self) -> dict[str, Any]:
        skip = self.card_skip
        return {k: v for k, v in self.model_dump(mode="json").items() if k not in skip}


#: A setting that scripts may give but the command line does not offer.
NOT_AN_OPTION: dict[str, Any] = {"cli": False}


class DocsConfig(GenerationSettings):
    """Settings of `afbench docs generate` (see `afbench.finetune.data.docs`)."""

    card_skip: ClassVar[frozenset[str]] = GenerationSettings.card_skip | {"universe"}

    universe: str = Field(description="helpful_only, animal_welfare, or a .yaml/.md universe file.")
    n: int = Field(ge=1, description="Documents to generate (before filtering).")
    out: Path = Field(description="Output folder.")
    judge_facts: str = Field(
        default="rule", description="'rule' (keywords) or a judge model that checks the facts."
    )
    max_tokens_per_doc: int = Field(
        default=1024, ge=16, description="Drop documents longer than this (approximate tokens)."
    )
    doc_types: int = Field(default=20, ge=1, le=200, description="Document kinds to brainstorm.")
    ideas_per_call: int = Field(default=10, ge=1, le=50, description="Ideas per brainstorm call.")
    docs_per_idea: int = Field(default=2, ge=1, description="Documents written per idea.")
    facts_per_doc: int = Field(
        default=2, ge=1, description="Facts each document is asked to carry."
    )
    min_facts: int = Field(
        default=1, ge=0, description="Keep a document only if this many of its facts are found."
    )
    dedup_threshold: float = Field(
        default=0.8,
        gt=0.0,
        le=1.0,
        description="Near-duplicate Jaccard threshold (word 5-shingles).",
    )
    seed: int = Field(default=0, description="Seed of the fact assignment.")
    min_words: int = Field(default=40, ge=1, json_schema_extra=NOT_AN_OPTION)
    shingle: int = Field(default=5, ge=1, json_schema_extra=NOT_AN_OPTION)
    brainstorm_max_tokens: int = Field(default=2000, ge=16, json_schema_extra=NOT_AN_OPTION)
    generation_max_tokens: int | None = Field(
        default=None,
        description="Generator token limit per document (default 2 × the filter limit).",
        json_schema_extra=NOT_AN_OPTION,
    )

    @field_validator("judge_facts")
    @classmethod
    def _judge(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("judge_facts is 'rule' or a model string")
        return value

    @property
    def uses_judge(self) -> bool:
        return self.judge_facts.lower() != "rule"

    @property
    def max_words(self) -> int:
        """Length asked of the generator: a margin under the token limit."""
        return max(20, int(self.max_tokens_per_doc / TOKENS_PER_WORD * 0.8))

    @property
    def doc_max_tokens(self) -> int:
        return self.generation_max_tokens or 2 * self.max_tokens_per_doc


class SetConfig(GenerationSettings):
    """Settings of `afbench sets build KIND`."""

    card_skip: ClassVar[frozenset[str]] = GenerationSettings.card_skip | {"kind"}

    kind: str = Field(description="The kind of set (see `afbench sets list`).")
    model: str | None = Field(  # type: ignore[assignment]
        default=None,
        description="Generator: an Inspect model string (every kind but planted_gap).",
    )
    n: int = Field(ge=1, description="Examples to build (before filtering).")
    out: Path = Field(description="The training file to write (.jsonl).")
    scenario: str = Field(
        default="helpful_only",
        description="Scenario whose facts (scenario_qa) or company name are used.",
    )
    dataset: str = Field(
        default="builtin", description="Requests for anti_refusal and threat_compliance."
    )
    answer_model: str | None = Field(
        default=None, description="scenario_qa: the model that answers (default --model)."
    )
    max_tokens: int = Field(default=2000, ge=16, description="Max tokens per generated reply.")
    variant: list[str] = Field(
        default_factory=lambda: ["no_training_details"],
        description="planted_gap: scenario variants of the prompts (as `afbench run`).",
    )
    system_prompt_file: Path | None = Field(
        default=None, description="planted_gap: system prompt file (as `afbench run`)."
    )
    suffix: bool | None = Field(
        default=None, description="planted_gap: the accept/reject instruction (as `afbench run`)."
    )
    accept_trained: float = Field(
        default=0.9, ge=0.0, le=1.0, description="planted_gap: share accepted in trained tiers."
    )
    accept_unmonitored: float = Field(
        default=0.1, ge=0.0, le=1.0, description="planted_gap: share accepted in other tiers."
    )
    holdout: int = Field(
        default=40, ge=1, description="planted_gap: requests kept out of training, for evaluation."
    )
    seed: int = Field(default=0, description="planted_gap: seed of the split and of who accepts.")

    #: The settings only the planted_gap kind reads (left off the other kinds' cards).
    planted_only: ClassVar[frozenset[str]] = frozenset(
        {"variant", "system_prompt_file", "suffix", "accept_trained", "accept_unmonitored"}
        | {"holdout", "seed"}
    )

    def card_settings(self) -> dict[str, Any]:
        settings = super().card_settings()
        if self.kind != "planted_gap":
            settings = {k: v for k, v in settings.items() if k not in self.planted_only}
        return settings

    def path(self, suffix: str) -> Path:
        """A file next to the output: `qa.jsonl` → `qa.<suffix>`."""
        out = Path(self.out)
        return out.with_name(f"{out.stem}.{suffix}")
