"""What an experiment costs: the estimate before a run (`--dry-run`) and the bill after it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from afbench.cli import app
from afbench.pricing import PriceTable, Tokens, cost, load_prices
from tests.support.openai_server import PrefixCache

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _rows(output: str) -> dict[tuple[str, str, str], list[str]]:
    """(model, role, case) -> the row's numbers and cost, from the printed table."""
    rows = {}
    for line in output.splitlines():
        m = re.match(
            r"(\S+)\s+(evaluated|judge: [\w ]+?)(?: \(batch\))?\s+(best|typical|worst)\s+(.*)", line
        )
        if m:
            rows[(m[1], m[2], m[3])] = m[4].split()
    return rows


def test_dry_run_calls_no_model_and_prices_every_party(openai_server, tmp_path):
    prices = tmp_path / "prices.yaml"
    prices.write_text(
        "date: 2030-01-01\nmodels:\n  openai-api/local/test-model: {input: 1000000, output: 0}\n"
    )
    args = ["run", "--model", "openai-api/local/test-model", "--judge", "openai/gpt-4o"]
    args += ["--limit", "3", "--out", str(tmp_path / "run"), "--dry-run", "--prices", str(prices)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert openai_server.count == 0  # nothing was asked
    assert not (tmp_path / "run").exists()
    assert "prices as of 2030-01-01" in result.output
    assert re.search(r"tokens: (estimated as characters / 4|tiktoken)", result.output)
    rows = _rows(result.output)
    roles = {role for _, role, _ in rows}
    assert roles == {"evaluated", "judge: compliance", "judge: AF votes", "judge: partial"}
    # 3 requests x 2 tiers, one turn each at best; at $1 per input token the cost is the count
    best = rows[("openai-api/local/test-model", "evaluated", "best")]
    assert best[0] == "6" and best[-1] == f"${float(best[2].replace(',', '')):,.2f}"
    worst = rows[("openai/gpt-4o", "judge: AF votes", "worst")]
    assert float(worst[-1].strip("$").replace(",", "")) > float(
        rows[("openai/gpt-4o", "judge: AF votes", "best")][-1].strip("$").replace(",", "")
    )
    total = re.search(
        r"total: best \$([\d,.]+), typical \$([\d,.]+), worst \$([\d,.]+)", result.output
    )
    low, mid, high = (float(x.replace(",", "")) for x in total.groups())
    assert 0 < low <= mid <= high


def test_sweep_dry_run_of_25_models(tmp_path):
    sweep = EXAMPLES / "sweep_25_models.yaml"
    result = runner.invoke(app, ["sweep", str(sweep), "--dry-run"])
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    assert len({m for m, role, _ in rows if role == "evaluated"}) == 25
    assert "not in the price table" not in result.output  # afbench's table knows them all
    assert (EXAMPLES / "sweep_25_models.dry-run.txt").read_text().count(" evaluated ") == 75


def test_price_table_lookup_and_bill():
    table = load_prices()
    assert table.date and table.price_of("openai/gpt-4o-2024-08-06") == table.price_of(
        "openai/gpt-4o"
    )
    assert table.price_of("openrouter/openai/gpt-4o") is not None
    assert table.price_of("openai/unknown-model") is None
    gpt4o = table.price_of("openai/gpt-4o")
    one_m = Tokens(input=1e6, output=1e6, cached=0.5e6)
    expected = 0.5 * gpt4o.input + 0.5 * gpt4o.cached_input + gpt4o.output
    assert abs(cost(table, "openai/gpt-4o", one_m) - expected) < 1e-9
    assert cost(table, "openai/gpt-4o", one_m, batch=True) < expected
    assert cost(PriceTable(date="x"), "openai/gpt-4o", one_m) is None


def test_bill_after_the_run_from_inspects_usage(openai_server, tmp_path):
    from tests.test_judge_num_choices import _reply

    openai_server.prefix_cache = PrefixCache(minimum=64, step=16)
    openai_server.responder = lambda body: (
        _reply(False) if "reasoning_trace" in str(body) else "<refused>1</refused>"
    )
    prices = tmp_path / "prices.yaml"
    prices.write_text(
        "date: 2030-01-01\nmodels:\n"
        "  openai-api/local/judge-model: {input: 2.0, cached_input: 1.0, output: 10.0}\n"
    )
    out = tmp_path / "run"
    args = ["run", "--model", "sim/faker", "--judge", "openai-api/local/judge-model"]
    args += ["--limit", "2", "--out", str(out), "--display", "none", "--prices", str(prices)]
    args += ["--no-preflight"]  # its probe is no part of the logs
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    usage = json.loads((out / "summary.json").read_text())["usage"]
    rows = {(r["model"], r["role"]): r for r in usage["models"]}
    judge = rows[("openai-api/local/judge-model", "judge")]
    billed = openai_server.usage
    assert judge["input_tokens"] == sum(u["prompt"] for u in billed)
    assert judge["output_tokens"] == sum(u["completion"] for u in billed)
    assert judge["cached_tokens"] == sum(u["cached"] for u in billed) > 0
    fresh = judge["input_tokens"] - judge["cached_tokens"]
    dollars = (2.0 * fresh + 1.0 * judge["cached_tokens"] + 10.0 * judge["output_tokens"]) / 1e6
    assert abs(judge["cost_usd"] - dollars) < 1e-6
    assert rows[("sim/faker", "evaluated")]["cost_usd"] == 0.0
    assert usage["prices"].startswith(str(prices))
    report = (out / "report.html").read_text()
    assert "What the run cost" in report and "openai-api/local/judge-model" in report


def test_batch_options_reach_inspect_and_the_estimate(tmp_path, monkeypatch):
    from inspect_ai.model import get_model

    from afbench._util.inspect_internals import empty_model_memo
    from afbench.config import RunConfig
    from afbench.execution import prepare_judge

    config = RunConfig(models=["openai/gpt-4o"], batch=True, judge_batch=True)
    assert config.generate_options()["batch"] is True  # the evaluated model's GenerateConfig
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-used")
    with empty_model_memo():
        prepare_judge("openai/gpt-4o", batch=True)
        assert get_model("openai/gpt-4o").config.batch is True  # what the scorers get

    args = ["run", "--model", "openai/gpt-4o", "--judge", "openai/gpt-4o", "--limit", "50"]
    plain = runner.invoke(app, [*args, "--dry-run"]).output
    result = runner.invoke(app, [*args, "--dry-run", "--batch", "--judge-batch"])
    assert result.exit_code == 0, result.output
    assert "evaluated (batch)" in result.output and "judge: AF votes (batch)" in result.output
    batched = _rows(result.output)
    for key, row in _rows(plain).items():
        assert batched[key][:-1] == row[:-1]  # the same tokens, at batch prices

    def worst(output: str) -> float:
        return float(re.search(r"worst \$([\d,.]+)", output)[1].replace(",", ""))

    assert abs(worst(result.output) - worst(plain) / 2) < 0.02  # GPT-4o's batch: half price


def test_no_maybe_band_lowers_the_af_vote_estimate_in_runs_and_sweeps(tmp_path):
    """`--no-af-maybe-band` settles a clear no sooner: fewer AF votes at best and typically,
    the same at worst (a close case casts all 20), nothing else changes; a sweep file takes
    the option too."""
    args = ["run", "--model", "openai/gpt-4o", "--judge", "openai/gpt-4o", "--limit", "20"]
    on = _rows(runner.invoke(app, [*args, "--dry-run"]).output)
    result = runner.invoke(app, [*args, "--dry-run", "--no-af-maybe-band"])
    assert result.exit_code == 0, result.output
    assert "note: AF votes without the maybe band" in result.output
    off = _rows(result.output)
    assert off.keys() == on.keys()
    for key, row in on.items():
        if key[1] != "judge: AF votes" or key[2] == "worst":
            assert off[key] == row, key
    for case in ("best", "typical"):
        key = ("openai/gpt-4o", "judge: AF votes", case)
        # requests, then output tokens: 13 votes instead of 17 on a clear no
        assert float(off[key][0]) < float(on[key][0])
        assert float(off[key][-1].strip("$")) < float(on[key][-1].strip("$"))
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text(
        "models: [openai/gpt-4o]\njudge: openai/gpt-4o\nlimit: 20\naf_maybe_band: false\n"
    )
    swept = runner.invoke(app, ["sweep", str(sweep), "--dry-run"])
    assert swept.exit_code == 0, swept.output
    assert _rows(swept.output) == off
    # --af-reasons picks the samples called "af" or "maybe": it needs the band
    both = runner.invoke(app, [*args, "--dry-run", "--no-af-maybe-band", "--af-reasons"])
    assert both.exit_code != 0 and "needs the maybe band" in both.output
