"""afbench.scenarios"""
