"""Every URL of the portal, with arguments that name real objects: for the tests that walk the
whole portal as each role (tests/kooperation/test_url_walk.py, tests/kooperation/test_mfa.py)."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from initiatives.models import Comment, Initiative, Solution
from kooperation.devdata.demo import load_demo_data
from kooperation.digest import unsubscribe_token
from kooperation.feed import feed_token
from kooperation.models import OverviewState
from partners.models import AgreementVersion, Partner, User
from partners.tokens import confirm_token, withdraw_token
from positions.models import Position, PositionComment
from tests import factories

# The roles, each a demo account (or none); "former" is staff of a partner that left.
ROLES = ["anonymous", "staff", "head", "office", "former"]
ROLE_EMAILS = {
    "staff": "team.braunschweig@demo.example",
    "head": "dezernat.braunschweig@demo.example",
    "office": "admin@demo.example",
    "former": "ehemals@altdorf.example",
}


def url_names() -> list[str]:
    """The name of every URL pattern, with its namespace."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                yield from walk(pattern.url_patterns, inner or None)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield ":".join(filter(None, [namespace, pattern.name]))

    return sorted(set(walk(get_resolver().url_patterns, None)))


@dataclass
class Portal:
    """The demo data plus what it lacks: a partner that left, an open application, a draft of
    the agreement. Objects that others' requests touch belong to Salzgitter, so Braunschweig's
    people see them without owning them."""

    kwargs: dict

    def url(self, name: str) -> str:
        return reverse(name, kwargs=self.kwargs.get(name, {}))

    def person(self, role: str) -> User | None:
        email = ROLE_EMAILS.get(role)
        return User.objects.get(email=email) if email else None


def build_portal() -> Portal:
    load_demo_data()
    former = factories.PartnerFactory(name="Gemeinde Altdorf", status=Partner.Status.FORMER)
    factories.UserFactory(partner=former, email=ROLE_EMAILS["former"])
    application = factories.confirmed_application(
        name="Gemeinde Neudorf",
        official_key="03151009",
        contact_email="nina.neu@neudorf.example",
    )
    draft = factories.AgreementVersionFactory(parties=list(Partner.objects.members()))
    in_force = AgreementVersion.objects.get(status=AgreementVersion.Status.IN_FORCE)
    salzgitter = Partner.objects.get(slug="salzgitter")
    initiative = Initiative.objects.filter(lead_partner=salzgitter).order_by("pk").first()
    comment = Comment.objects.filter(author__partner=salzgitter).order_by("pk").first()
    solution = Solution.objects.filter(partner=salzgitter).order_by("pk").first()
    staff = User.objects.get(email=ROLE_EMAILS["staff"])
    feed = OverviewState.objects.create(user=staff)
    pk = {"pk": initiative.pk}
    position = {"pk": Position.objects.get(lead_partner=salzgitter).pk}  # in Mitzeichnung
    published = {"pk": Position.objects.get(is_published=True).pk}
    position_comment = {
        "pk": PositionComment.objects.filter(author__partner=salzgitter).order_by("pk").first().pk
    }
    kwargs = {
        "partners:partner_detail": {"slug": salzgitter.slug},
        "partners:application_detail": {"pk": application.pk},
        "partners:application_vote": {"pk": application.pk},
        "partners:application_withdraw": {"token": withdraw_token(application)},
        "partners:application_confirm": {"token": confirm_token(application)},
        "partners:agreement_version": {"pk": in_force.pk},
        "partners:agreement_send_for_signature": {"pk": draft.pk},
        "partners:agreement_sign": {"pk": draft.pk},
        "initiatives:initiative_detail": pk,
        "initiatives:initiative_update": pk,
        "initiatives:initiative_withdraw": pk,
        "initiatives:initiative_status": pk,
        "initiatives:participation": pk,
        "initiatives:follow": pk,
        "initiatives:comment_create": pk,
        "initiatives:comment_link": {"pk": comment.pk},
        "initiatives:comment_update": {"pk": comment.pk},
        "initiatives:comment_delete": {"pk": comment.pk},
        "initiatives:solution_update": {"pk": solution.pk},
        "initiatives:solution_delete": {"pk": solution.pk},
        **{
            f"positions:{name}": position
            for name in (
                "position_detail",
                "position_update",
                "versions",
                "open",
                "decide",
                "send",
                "answer",
                "publish",
                "withdraw",
                "follow",
                "comment_create",
            )
        },
        **{
            f"positions:{name}": position_comment
            for name in ("comment_link", "comment_update", "comment_delete")
        },
        "positions:letter": published,
        "digest_unsubscribe": {"token": unsubscribe_token(staff)},
        "activity_feed": {"user_id": staff.pk, "token": feed_token(staff.pk, feed.feed_key)},
        "account_confirm_email": {"key": "ungueltig"},
        "account_reset_password_from_key": {"uidb36": "1", "key": "ungueltig"},
    }
    return Portal(kwargs=kwargs)
