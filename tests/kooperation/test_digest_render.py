"""The digest's e-mail: each line of a batch rendered once."""

from django.core import mail
from django.test.signals import template_rendered

from initiatives.models import Area
from kooperation import digest
from tests.factories import propose
from tests.kooperation.digests import batch_of


def templates_rendered_by(deliver) -> list[str]:
    """The names of the templates rendered while `deliver` sends three digests."""
    rendered = []

    def seen(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(seen)
    try:
        assert deliver()["sent"] == 3
    finally:
        template_rendered.disconnect(seen)
    return rendered


def test_a_batch_renders_the_line_of_each_item_once(weekly_news, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    readers, proposer = weekly_news
    propose(proposer, Area.objects.get(), title="Zweite Sache")
    rendered = templates_rendered_by(lambda: digest.deliver(**batch_of(readers), owner="task:1"))
    # Two items, three e-mails: each line rendered once, the e-mails each rendered once.
    assert rendered.count("kooperation/email/_digest_item.html") == 2
    assert rendered.count("kooperation/email/_digest_item.txt") == 2
    assert rendered.count("kooperation/email/digest.html") == 3
    for email in mail.outbox:
        html = email.alternatives[0][0]
        assert "„Gemeinsames Servicekonto“" in email.body
        assert "„Zweite Sache“" in email.body
        assert html.count("<li><a href=") == 2
        assert "„Zweite Sache“" in html


def test_a_batch_renders_the_line_under_a_long_section_once_per_number(weekly_news, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    readers, proposer = weekly_news
    for number in range(11):
        propose(proposer, Area.objects.get(), title=f"Vorschlag {number:02d}")
    rendered = templates_rendered_by(lambda: digest.deliver(**batch_of(readers), owner="task:1"))
    assert rendered.count("kooperation/email/_digest_more.html") == 1
    assert rendered.count("kooperation/email/_digest_more.txt") == 1
    for email in mail.outbox:
        assert "… insgesamt 12 Einträge; die übrigen finden Sie im Portal." in email.body
        assert "Insgesamt 12 Einträge; die übrigen finden Sie <a href=" in email.alternatives[0][0]
