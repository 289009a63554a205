"""Decide which database and broker `make test` uses, and say so in the first line.

PostgreSQL and Redis are used when they answer (at DATABASE_URL / REDIS_URL, or else on their
standard local ports); otherwise SQLite and inline Celery tasks. Under CI=true both are required.
Writes the choice as shell assignments to the file named by the first argument.
Only the standard library is used: this runs before the virtual environment exists.
"""

import os
import socket
import sys
from urllib.parse import urlsplit

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/kooperation"
LOCAL_REDIS = "redis://127.0.0.1:6379/15"


def answers(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), 1
        ):
            return True
    except OSError:
        return False


def where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or ''}".rstrip(":")


def main(env_file: str) -> int:
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    database_url = os.environ.get("DATABASE_URL") or LOCAL_POSTGRES
    redis_url = os.environ.get("REDIS_URL") or LOCAL_REDIS
    postgres = database_url.startswith(("postgres://", "postgresql://")) and answers(
        database_url, 5432
    )
    redis = redis_url.startswith("redis://") and answers(redis_url, 6379)

    if in_ci and not (postgres and redis):
        missing = [name for name, ok in (("PostgreSQL", postgres), ("Redis", redis)) if not ok]
        print(
            f"Tests abgebrochen: Unter CI=true sind PostgreSQL und Redis Pflicht; "
            f"nicht erreichbar: {', '.join(missing)} ({where(database_url)}, {where(redis_url)}).",
            flush=True,
        )
        return 1

    lines = []
    if postgres:
        lines.append(f"DATABASE_URL={database_url}")
    else:
        lines.append("DATABASE_URL=sqlite:///var/test.sqlite3")
    lines.append(f"REDIS_URL={redis_url}" if redis else "REDIS_URL=")
    with open(env_file, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")

    database = (
        f"PostgreSQL ({where(database_url)})"
        if postgres
        else "SQLite (PostgreSQL nicht erreichbar)"
    )
    broker = (
        f"Redis ({where(redis_url)}) mit echtem Celery-Worker"
        if redis
        else "Celery-Tasks inline (Redis nicht erreichbar)"
    )
    print(f"Tests laufen mit {database} und {broker}.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
