"""What tokens cost: afbench's dated price table, a user's own table, and the bill of a usage.

Prices are data (`prices.yaml`, list prices as of its `date`), not code: providers change
them, so every figure afbench prints names the table's date, and `--prices FILE` replaces
entries by name. A model with no entry has no price: its tokens are still shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import ConfigError

PRICES_FILE = Path(__file__).with_name("prices.yaml")


class ModelPrice(BaseModel):
    """Dollars per `per` tokens (a million) of one model."""

    model_config = ConfigDict(extra="forbid")

    input: float = Field(ge=0)
    output: float = Field(ge=0)
    cached_input: float | None = Field(None, ge=0)
    batch_input: float | None = Field(None, ge=0)
    batch_output: float | None = Field(None, ge=0)


class PriceTable(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: str
    currency: str = "USD"
    per: int = Field(1_000_000, ge=1)
    models: dict[str, ModelPrice] = Field(default_factory=dict)
    source: str = "afbench"
    """Where the table came from (afbench's own, or the user's file)."""

    def price_of(self, model: str) -> ModelPrice | None:
        """The entry for a model string: its full name, its last part, else the longest
        entry it starts with (a dated release of a listed model)."""
        if model in self.models:
            return self.models[model]
        tail = model.rsplit("/", 1)[-1]
        by_tail = {name.rsplit("/", 1)[-1]: p for name, p in self.models.items()}
        if tail in by_tail:
            return by_tail[tail]
        prefixes = [n for n in by_tail if tail.startswith(n + "-")]
        return by_tail[max(prefixes, key=len)] if prefixes else None

    def label(self) -> str:
        """How a printed figure names its prices."""
        return f"{self.source} prices as of {self.date}, {self.currency} (list prices; check)"


@dataclass(frozen=True)
class Tokens:
    """Tokens of some requests: `cached` is the part of `input` read from a prompt cache."""

    input: float = 0.0
    output: float = 0.0
    cached: float = 0.0

    def __add__(self, other: Tokens) -> Tokens:
        return Tokens(
            self.input + other.input, self.output + other.output, self.cached + other.cached
        )


def cost(table: PriceTable, model: str, tokens: Tokens, *, batch: bool = False) -> float | None:
    """Dollars for `tokens` of `model` (None: no price for it). Batch prices apply to
    uncached input and output where the model has them; cached input is billed at the
    cache price (or, without one, as input)."""
    price = table.price_of(model)
    if price is None:
        return None
    rate_in = price.batch_input if batch and price.batch_input is not None else price.input
    rate_out = price.batch_output if batch and price.batch_output is not None else price.output
    rate_cached = price.cached_input if price.cached_input is not None else rate_in
    fresh = max(0.0, tokens.input - tokens.cached)
    dollars = fresh * rate_in + tokens.cached * rate_cached + tokens.output * rate_out
    return dollars / table.per


def no_charge(model: str) -> bool:
    """Runs on this machine (weights, a local server, the simulator): no bill."""
    from ..providers import capabilities, provider_of

    return capabilities(model).local or provider_of(model) in ("sim", "mockllm")


def load_prices(path: Path | None = None) -> PriceTable:
    """afbench's table, with the entries (and date) of `path` over it where given."""
    base = _parse(PRICES_FILE, "afbench")
    if path is None:
        return base
    own = _parse(path, str(path))
    return own.model_copy(update={"models": {**base.models, **own.models}})


def _parse(path: Path, source: str) -> PriceTable:
    from pydantic import ValidationError

    from .._util.yaml_file import read_text, yaml_mapping

    text = read_text(path, "price table", ConfigError)
    data: dict[str, Any] = yaml_mapping(text, f"price table {path}", "a mapping", ConfigError)
    data["date"] = str(data.get("date", ""))
    try:
        table = PriceTable.model_validate({**data, "source": source})
    except ValidationError as exc:
        where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(
            f"price table {path}: {where}",
            hint="see afbench's own table (src/afbench/pricing/prices.yaml) for the shape",
        ) from None
    if not table.date:
        raise ConfigError(f"price table {path}: no `date:`", hint="say when the prices held")
    return table
