"""Speed and scale benchmarks (issue 7): each module runs with ``python -m benchmarks.NAME``.

They print medians and spreads and write only to a temporary directory or
``benchmarks/out/``; figures and commands are collected in ``benchmarks/RESULTS.md``.
"""
