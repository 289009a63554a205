"""What the benchmarks share: their databases and the memory of the processes they start."""

import os
import re
from pathlib import Path

SCALE_DATABASE_URL = os.environ.get(
    "BENCH_SCALE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kooperation_scale"
)


def create_database(database_url: str) -> None:
    """Creates the benchmark's PostgreSQL database unless it exists."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    server = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        query = "SELECT 1 FROM pg_database WHERE datname = %s"
        if not connection.execute(query, [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def children_memory(pid: int) -> dict[int, tuple[int, int]]:
    """(current, peak) resident memory in MB of each child process of `pid` (workers)."""
    found = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"PPid:\t{pid}\n" in text:
            now = re.search(r"VmRSS:\s+(\d+) kB", text)
            peak = re.search(r"VmHWM:\s+(\d+) kB", text)
            if now and peak:
                found[int(status.parent.name)] = (
                    int(now.group(1)) // 1024,
                    int(peak.group(1)) // 1024,
                )
    return found
