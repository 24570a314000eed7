"""The report as a reader sees it, measured in headless Chromium at 1280×800.

The answer (gap, interval, verdict, rates per tier) must be on the first screen, nothing may
overflow horizontally, and every kind of sample the run counted must have an example. The
report itself runs no script; a copy of it gets one that measures the laid-out page and
writes the result into the DOM, which Chromium dumps.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from afbench.cli import app
from afbench.report import write_report
from tests.support.commands import run_args

CHROMIUM = shutil.which("chromium") or next(
    (p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)
WIDTH, HEIGHT = 1280, 800

MEASURE = """
<script>
(() => {
  const root = document.documentElement, width = root.clientWidth;
  const describe = (e) => e.tagName.toLowerCase() + (e.className ? "." + e.className : "")
    + ": " + (e.textContent || "").trim().slice(0, 60);
  const all = [...document.body.querySelectorAll("*")];
  const past = all.filter((e) => e.getBoundingClientRect().right > width + 0.5).map(describe);
  const clipped = all.filter((e) => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
    .map(describe);
  const wide = [...document.querySelectorAll("table")].filter(
    (t) => t.getBoundingClientRect().width > t.parentElement.clientWidth + 0.5).map(describe);
  const head = document.getElementById("headline");
  const box = head ? head.getBoundingClientRect() : null;
  const groups = [...document.querySelectorAll("section.example-group")].map((g) => ({
    title: g.querySelector("h3").textContent.replace("SIMULATED", "").trim(),
    kinds: [...g.querySelectorAll("article.example")].map((a) => a.dataset.kinds.split(" ")),
    visible: [...g.querySelectorAll("article.example")].every(
      (a) => a.getBoundingClientRect().height > 0),
  }));
  document.body.setAttribute("data-measure", JSON.stringify({
    viewport: [window.innerWidth, window.innerHeight], scrollWidth: root.scrollWidth, width,
    headline: box && {top: box.top, bottom: box.bottom},
    headlineText: head ? head.innerText : "", past, clipped, wide, groups,
  }));
})();
</script>
"""


def measure(report: Path, tmp: Path) -> dict[str, Any]:
    """Lay out `report` at 1280×800 and return what the injected script measured."""
    page = tmp / "measured.html"
    page.write_text(report.read_text("utf-8").replace("</body>", MEASURE + "</body>"), "utf-8")
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp / 'chromium-profile'}",
        f"--window-size={WIDTH},{HEIGHT}",
        "--virtual-time-budget=3000",
        "--dump-dom",
        page.resolve().as_uri(),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'data-measure="([^"]*)"', done.stdout)
    assert found, done.stdout[:2000]
    result = json.loads(html.unescape(found.group(1)))
    # Laid out at 1280 px wide. The window's height (less the browser's own bars) does not
    # change the layout (the page uses no viewport-height units), so the fold is y = 800.
    assert result["viewport"][0] == WIDTH
    return result


def assert_fits(result: dict[str, Any]) -> None:
    assert result["scrollWidth"] <= WIDTH, result["past"]
    assert result["past"] == [], result["past"]
    assert result["wide"] == [], result["wide"]
    assert result["clipped"] == [], result["clipped"]


def expected_kinds(conditions: list[dict[str, Any]]) -> set[str]:
    """The kinds of sample a group of conditions counted, read from the summary alone."""
    kinds: set[str] = set()
    for c in conditions:
        kinds |= {key for key, count in (c.get("categories") or {}).items() if count}
        kinds |= {"no_tag"} if (c.get("outcomes") or {}).get("no_tag") else set()
        kinds |= {"error"} if c.get("errors") else set()
        kinds |= {"af_unscored"} if c.get("af_unscored") else set()
        kinds |= {"unmeasured"} if c.get("compliance_unmeasured") else set()
    return kinds


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo-like run, with more malformed replies so unparsed and untagged samples occur."""
    out = tmp_path_factory.mktemp("browser") / "demo"
    args = run_args(out, "-M", "malformed_rate=0.3", limit=40)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def demo_layout(demo_run: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return measure(demo_run / "report.html", tmp_path_factory.mktemp("chromium"))


def test_demo_report_leads_with_the_answer_and_fits(
    demo_run: Path, demo_layout: dict[str, Any]
) -> None:
    result = demo_layout
    assert result["headline"] is not None
    assert result["headline"]["bottom"] < HEIGHT, result["headline"]  # above the fold
    text = result["headlineText"]
    summary = json.loads((demo_run / "summary.json").read_text("utf-8"))
    gap = summary["gaps"][0]
    assert f"{100 * gap['gap']:+.1f} pp" in text and "95% CI" in text
    assert "significant" in text  # the verdict
    for condition in summary["conditions"]:
        assert f"{100 * condition['af_rate']:.1f}%" in text  # AF per tier, with its interval
        low, high = condition["af_ci"]
        assert f"{100 * low:.1f}–{100 * high:.1f}%" in text
    assert "simulated" in text.lower() and "not measured" in text  # partial compliance
    assert_fits(result)


def test_every_kind_in_the_data_has_an_example(demo_run: Path, demo_layout: dict[str, Any]) -> None:
    result = demo_layout
    summary = json.loads((demo_run / "summary.json").read_text("utf-8"))
    expected = expected_kinds(summary["conditions"])
    # the run exercises more than complied / refused: otherwise this test proves little
    assert {"compliance_af", "refusal_af", "unparsed", "no_tag"} <= expected
    (group,) = result["groups"]
    assert group["title"] == "sim/faker" and group["visible"]
    shown = [kind for kinds in group["kinds"] for kind in kinds]
    assert set(shown) == expected
    assert len(shown) == len(set(shown))  # each kind once


def _wide_summary() -> dict[str, Any]:
    """Four models with long names × four variants: the widest tables a sweep makes."""
    models = [f"openai-api/very-long-provider-name/model-{i}-with-a-long-suffix" for i in range(4)]
    variants = ["default", "three_tier", "clarify_no_change+three_tier", "no_cot+cut_rlhf_info"]
    conditions, gaps = [], []
    for model in models:
        for variant in variants:
            for tier, trained in (("free", True), ("paid", False)):
                conditions.append(
                    {
                        "model": model, "scenario": "helpful_only", "variant": variant,
                        "tier": tier, "trained": trained, "rated": trained, "n": 200,
                        "complied": 70, "compliance": 0.35, "compliance_ci": [0.29, 0.42],
                        "af_rate": None, "af_ci": None, "af_unscored": 200,
                        "af_status": "not measured: 200 of 200 samples unscored "
                        "(no_reasoning: 150, judge_failed: 50)",
                        "unparsed": 3, "errors": 12, "judge": "openai/gpt-4o", "partial": 4,
                        "outcomes": {"accepted": 70, "rejected": 120, "no_tag": 7, "malformed": 3},
                        "categories": {"refusal": 120, "compliance": 70, "partial": 4},
                        "category_ci": {"refusal": [0.5, 0.67], "compliance": [0.29, 0.42]},
                    }
                )  # fmt: skip
            gaps.append(
                {
                    "model": model, "scenario": "helpful_only", "variant": variant,
                    "name": "compliance_gap", "trained_tier": "free", "unmonitored_tier": "paid",
                    "n_pairs": 200, "gap": 0.004, "gap_ci": [-0.05, 0.06], "p_value": 0.9,
                    "method": "paired_clustered", "discordant": [12, 11], "rate_trained": 0.35,
                    "rate_unmonitored": 0.346, "detectable_gap": 0.09,
                }
            )  # fmt: skip
    settings = {"scenario": "helpful_only", "models": models, "log_dir": "/x" * 80}
    return {"afbench_version": "0.1.0", "settings": settings, "conditions": conditions,
            "gaps": gaps}  # fmt: skip


def test_a_wide_sweep_report_fits_at_1280(tmp_path: Path) -> None:
    report = write_report(_wide_summary(), None, tmp_path / "run")
    result = measure(report, tmp_path)
    assert_fits(result)
    assert result["headline"]["top"] < HEIGHT  # the answer starts on the first screen
    assert "not measured: 200 of 200 samples unscored" in result["headlineText"]
