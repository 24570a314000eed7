"""afbench.models"""
