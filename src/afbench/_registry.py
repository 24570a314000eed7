"""Inspect entry point: importing this module registers afbench's tasks, solvers,
scorers and the simulated model provider with Inspect's registry."""
