"""`afbench scenarios` (list) and `afbench scenarios show` (the exact messages)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import user_errors

scenarios_app = typer.Typer(help="List scenarios, or show the exact messages a model receives.")

ScenarioDirOption = Annotated[
    list[Path] | None, typer.Option("--scenario-dir", help="Extra folder of scenarios.")
]


@scenarios_app.callback(invoke_without_command=True)
def scenarios_list(ctx: typer.Context, scenario_dir: ScenarioDirOption = None) -> None:
    """List the scenarios, one line each."""
    if ctx.invoked_subcommand is not None:
        return
    from ..scenarios import list_scenarios, list_variants
    from ..scenarios.ablation import ablation_manifest

    with user_errors():
        manifests = list_scenarios(scenario_dir or None)
        variants = list_variants(scenario_dir or None)
    typer.echo("Settings:")
    for m in manifests:
        tiers = ", ".join(t.name for t in m.tiers)
        typer.echo(f"  {m.name:<26} {m.description}  [tiers: {tiers}]")
    typer.echo("Variants (--variant NAME, repeat to compose):")
    for v in variants:
        typer.echo(f"  {v.usage:<26} {v.description}")
    ablate = ablation_manifest()
    typer.echo(f"  {ablate.usage:<26} {ablate.description}")


@scenarios_app.command("show")
def scenarios_show(
    scenario: Annotated[str, typer.Argument(help="Scenario name.")],
    tier: Annotated[str | None, typer.Option(help="Tier (default: the first).")] = None,
    request: Annotated[str, typer.Option(help="Request text to render.")] = "<your request here>",
    variant: Annotated[
        list[str] | None, typer.Option("--variant", help="Variant; repeat to compose.")
    ] = None,
    examples: Annotated[bool | None, typer.Option("--examples/--no-examples")] = None,
    suffix: Annotated[bool | None, typer.Option("--suffix/--no-suffix")] = None,
    system_prompt_file: Annotated[Path | None, typer.Option()] = None,
    scenario_dir: ScenarioDirOption = None,
    slots: Annotated[
        bool,
        typer.Option(
            "--slots",
            help="List the system prompt's slots (what --variant ablate:<slot> removes) "
            "instead of the messages.",
        ),
    ] = False,
) -> None:
    """Print the exact messages a model receives (or, with --slots, the prompt's slots)."""
    from ..scenarios import format_messages, load_scenario

    if slots:
        from ..scenarios.slots import describe_slots, format_slots

        with user_errors():
            typer.echo(format_slots(describe_slots(scenario, scenario_dir or None, variant or ())))
        return
    with user_errors():
        spec = load_scenario(scenario, scenario_dir or None, variant or ())
        messages = spec.render_messages(
            tier or spec.tiers[0].name,
            request,
            examples=examples,
            suffix=suffix,
            system_prompt_file=system_prompt_file,
        )
    typer.echo(format_messages(messages))


def register(app: typer.Typer) -> None:
    app.add_typer(scenarios_app, name="scenarios")
