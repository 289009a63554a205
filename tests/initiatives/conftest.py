"""Fixtures of the initiatives tests: the worlds of tests/initiatives/helpers.py."""

import pytest

from tests.initiatives.helpers import build_catalogue, build_world


@pytest.fixture
def world(db):
    """See build_world."""
    return build_world()


@pytest.fixture
def catalogue(db):
    """See build_catalogue."""
    return build_catalogue()
