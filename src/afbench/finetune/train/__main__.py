"""`python -m afbench.finetune.train ...`: the train command on its own.

This is the entry point for multi-GPU runs, which `accelerate launch` starts once per GPU:
`accelerate launch --config_file fsdp.yaml -m afbench.finetune.train --data ... --out ...`
(the same options as `afbench train`).
"""

import typer

from ...cli.train import train


def main() -> None:
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    app.command()(train)
    app()


if __name__ == "__main__":
    main()
