"""afbench.datasets"""
