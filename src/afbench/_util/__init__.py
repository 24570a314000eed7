"""Small helpers shared by afbench's modules (no heavy imports, except `inspect_internals`,
which loads Inspect and is imported only where Inspect is needed anyway)."""
