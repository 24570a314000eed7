"""Test helpers shared across afbench's test suite (not shipped with the package)."""
