"""Fixtures of the digest tests: two partners with staff and heads; a week with news."""

from dataclasses import dataclass

import pytest

from initiatives.models import Area
from partners.models import Partner, User
from tests.factories import (
    AreaFactory,
    DepartmentHeadFactory,
    PartnerFactory,
    UserFactory,
    propose,
)


@dataclass
class Cooperation:
    basis: Area
    online: Area
    a: Partner
    b: Partner
    staff_a: User
    head_a: User
    staff_b: User
    head_b: User


@pytest.fixture
def coop(db):
    a, b = PartnerFactory(name="Stadt Adorf"), PartnerFactory(name="Stadt Bedorf")
    return Cooperation(
        basis=AreaFactory(name="Basisdienste"),
        online=AreaFactory(name="Online-Dienste"),
        a=a,
        b=b,
        staff_a=UserFactory(partner=a, name="Anna Adorf"),
        head_a=DepartmentHeadFactory(partner=a, name="Dr. Hans Adorf"),
        staff_b=UserFactory(partner=b, name="Berta Bedorf"),
        head_b=DepartmentHeadFactory(partner=b, name="Dr. Bernd Bedorf"),
    )


@pytest.fixture
def weekly_news(transactional_db):
    """Two partners; B proposed something, so A's three people have news."""
    a, b = PartnerFactory(name="Stadt Adorf"), PartnerFactory(name="Stadt Bedorf")
    area = AreaFactory(name="Basisdienste")
    readers = [UserFactory(partner=a) for _ in range(3)]
    proposer = UserFactory(partner=b)
    propose(proposer, area, title="Gemeinsames Servicekonto")
    return readers, proposer
