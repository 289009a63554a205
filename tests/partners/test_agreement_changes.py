"""What a version of the agreement changed, word by word in its rendered text (issue 18, item 5)."""

import pytest

from partners.selectors import agreement_changes
from tests.factories import AgreementVersionFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def test_paragraphs_follow_the_rendered_text_not_the_markdown_lines():
    partner = PartnerFactory()
    old = AgreementVersionFactory(
        parties=[partner], text="## § 1\n\nDie Partner arbeiten\nzusammen.\n\n- eins\n- zwei"
    )
    new = AgreementVersionFactory(
        parties=[partner],
        previous=old,
        text="## § 1\n\nDie Partner arbeiten *eng*\nzusammen.  \nNeue Zeile.\n\n- eins\n- drei",
    )
    changes = agreement_changes(new)
    assert changes.paragraphs == [
        [("same", "§ 1")],
        # The soft break joins the lines; the hard break starts a new one.
        [("same", "Die Partner arbeiten"), ("added", "eng"), ("same", "zusammen.")],
        [("added", "Neue Zeile.")],
        [("same", "eins")],
        [("removed", "zwei"), ("added", "drei")],
    ]
    assert changes.text_changed
    assert (changes.parties_added, changes.parties_removed) == ([], [])
    assert agreement_changes(old) is None  # the first version


def test_parties_that_joined_and_left_are_named():
    stays, leaves, joins = PartnerFactory(), PartnerFactory(), PartnerFactory()
    old = AgreementVersionFactory(parties=[stays, leaves])
    new = AgreementVersionFactory(parties=[stays, joins], previous=old, text=old.text)
    changes = agreement_changes(new)
    assert changes.parties_added == [joins]
    assert changes.parties_removed == [leaves]
    assert not changes.text_changed
