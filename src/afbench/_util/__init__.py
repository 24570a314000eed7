"""Small helpers shared by afbench's modules (no heavy imports)."""
