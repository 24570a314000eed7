"""`python -m afbench.cli`: the same as the `afbench` command."""

from . import main

main()
