"""afbench.analysis"""
