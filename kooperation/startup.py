"""A configuration error is the operator's to fix: say what is wrong, without a traceback."""

import sys
from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured


@contextmanager
def exit_on_configuration_error():
    try:
        yield
    except ImproperlyConfigured as error:
        sys.stderr.write(f"Konfigurationsfehler: {error}\n")
        raise SystemExit(2) from None
