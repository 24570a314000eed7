"""afbench.scorers"""
