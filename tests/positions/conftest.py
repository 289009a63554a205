import pytest

from tests.positions.helpers import build_position_world


@pytest.fixture
def world(db):
    """See build_position_world."""
    return build_position_world()
