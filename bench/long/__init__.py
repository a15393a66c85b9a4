"""Long recordings with planted events for the issue-13 benchmark (bench/bench_long_files.py).

pool.py    which recordings serve as beds, planted events and query clips (held-out splits only)
render.py  a bed looped and crossfaded to any length, events planted at a chosen SNR
build.py   the seeded plan of a set of long files, their ground truth and the "audio + add X" queries
"""
