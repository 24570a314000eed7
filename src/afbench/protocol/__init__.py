"""afbench.protocol"""
