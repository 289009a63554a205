"""Development and benchmark data, kept apart from the code the portal runs.

`demo` loads today's cooperation for `make run` (`manage.py load_demo_data`); `scale` fills a
database with the national data set for the benchmarks (`manage.py seed_scale`).
"""
