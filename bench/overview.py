"""Benchmark: "Mein Überblick" and the activity page on the national data set (issue 19) – the
department head's pages of `make bench-pages`, without the others and without wrk:

    make bench-overview                      # or:
    .venv/bin/python bench/overview.py --requests 200 [--port 8766 --redis-url …]

Everything else (the head, the pages, the table, the options) is bench/pages.py's; the floor
page (the imprint, signed in) is measured beside them for comparison.
"""

import sys

import pages

if __name__ == "__main__":
    pages.main(["--head-only", "--wrk-seconds", "0", *sys.argv[1:]])
