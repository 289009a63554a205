"""Run a function in several threads released at the same moment, as parallel requests
would run it (each thread with its own database connection)."""

import threading

from django.db import connection


def at_the_same_moment(function, times: int, timeout: float = 60) -> list:
    """Calls `function()` in `times` threads at once; returns their results (in no particular
    order). An exception in any thread fails the calling test with it."""
    barrier = threading.Barrier(times)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(function())
        except Exception as error:  # reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert errors == [], errors
    return results
