"""afbench.report"""
