"""What the portal stores about a person (GDPR Art. 15 and 20: a copy in JSON), and how a person
leaves it (Art. 17) while the cooperation's records stay, with "ehemalige Person" in their place.
This module reads both apps, so it lives in the project."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from initiatives.models import Comment, Follow, Initiative, InitiativeEvent, Solution
from kooperation.models import DigestDelivery, DigestSetting, OverviewState
from partners import services as partner_services
from partners.models import AgreementParty, AgreementVersion, Application, User, Vote
from positions.models import PositionComment, PositionFollow


def _when(moment):
    return moment.isoformat() if moment else None


def personal_data(person: User) -> dict:
    """Everything stored about `person`, in a fixed number of queries."""
    setting = DigestSetting.objects.filter(user=person).prefetch_related("areas").first()
    overview = OverviewState.objects.filter(user=person).first()
    addresses = list(EmailAddress.objects.filter(user=person))
    emails = {person.email.lower(), *(address.email.lower() for address in addresses)}
    return {
        "erstellt_am": timezone.now().isoformat(),
        "person": {
            "email": person.email,
            "name": person.name,
            "funktion": person.job_title,
            "partner": person.partner.name if person.partner else None,
            "rolle": person.get_role_display(),
            "beantragte_rolle": person.requested_role,
            "geschaeftsbereich": person.portfolio,
            "geschaeftsstelle": person.is_staff,
            "aktiv": person.is_active,
            "registriert_am": _when(person.date_joined),
            "letzte_anmeldung": _when(person.last_login),
        },
        "email_adressen": [
            {"email": address.email, "bestaetigt": address.verified, "primaer": address.primary}
            for address in addresses
        ],
        # The kind of each second factor and when it was set up and last used – never its
        # secret or recovery codes.
        "zweiter_faktor": [
            {
                "art": authenticator.get_type_display(),
                "eingerichtet_am": _when(authenticator.created_at),
                "zuletzt_genutzt": _when(authenticator.last_used_at),
            }
            for authenticator in Authenticator.objects.filter(user=person).only(
                "type", "created_at", "last_used_at"
            )
        ],
        "sitzungen": [
            {
                "ip": session.ip,
                "browser": session.user_agent,
                "begonnen": _when(session.created_at),
                "zuletzt_aktiv": _when(session.last_seen_at),
            }
            for session in UserSession.objects.filter(user=person)
        ],
        "zusammenfassung": {
            "rhythmus": setting.get_frequency_display() if setting else None,
            "arbeitsfelder": [area.name for area in setting.areas.all()] if setting else [],
        },
        "zusammenfassungen_versendet": [
            {
                "rhythmus": delivery.frequency,
                "zeitraum": delivery.period,
                "status": delivery.get_status_display(),
                "eintraege": delivery.items,
                "versendet_am": _when(delivery.sent_at),
            }
            for delivery in DigestDelivery.objects.filter(recipient=person)
        ],
        "vorgeschlagene_initiativen": [
            {"id": pk, "titel": title, "am": _when(created_at)}
            for pk, title, created_at in Initiative.objects.filter(proposer=person).values_list(
                "pk", "title", "created_at"
            )
        ],
        "schritte_in_initiativen": [
            {
                "initiative": event.initiative.title,
                "art": event.get_kind_display(),
                "am": _when(event.created_at),
            }
            for event in InitiativeEvent.objects.filter(actor=person).select_related("initiative")
        ],
        "kommentare": [
            {
                "initiative": comment.initiative.title,
                "text": comment.body,
                "geschrieben_am": _when(comment.created_at),
                "bearbeitet_am": _when(comment.edited_at),
            }
            for comment in Comment.objects.filter(author=person).select_related("initiative")
        ],
        "gefolgte_initiativen": [
            {
                "initiative": follow.initiative.title,
                "seit": _when(follow.created_at),
                "zuletzt_angesehen": _when(follow.last_seen_at),
            }
            for follow in Follow.objects.filter(user=person).select_related("initiative")
        ],
        "kommentare_zu_positionen": [
            {
                "position": comment.position.title,
                "text": comment.body,
                "geschrieben_am": _when(comment.created_at),
                "bearbeitet_am": _when(comment.edited_at),
            }
            for comment in PositionComment.objects.filter(author=person).select_related("position")
        ],
        "gefolgte_positionen": [
            {"position": follow.position.title, "seit": _when(follow.created_at)}
            for follow in PositionFollow.objects.filter(user=person).select_related("position")
        ],
        # The feed's key is a secret, like a password: left out.
        "ueberblick": {
            "zuletzt_gesehen": _when(overview.seen_at) if overview else None,
            "voriger_besuch_bis": _when(overview.previous_visit_at) if overview else None,
        },
        "erfasste_loesungen": [
            {
                "produkt": solution.product,
                "arbeitsfeld": solution.area.name,
                "am": _when(solution.created_at),
            }
            for solution in Solution.objects.filter(recorded_by=person).select_related("area")
        ],
        "beitrittsantraege_als_ansprechperson": [
            {
                "kommune": application.name,
                "ansprechperson": application.contact_name,
                "email": application.contact_email,
                "motivation": application.motivation,
                "status": application.get_status_display(),
                "eingegangen_am": _when(application.submitted_at),
            }
            for application in Application.objects.alias(email=Lower("contact_email")).filter(
                email__in=emails
            )
        ],
        "stimmen_zu_beitritten": [
            {
                "antrag": vote.application.name,
                "zustimmung": vote.approve,
                "kommentar": vote.comment,
                "am": _when(vote.cast_at),
            }
            for vote in Vote.objects.filter(voter=person).select_related("application")
        ],
        "angelegte_fassungen_der_vereinbarung": list(
            AgreementVersion.objects.filter(created_by=person).values_list("title", flat=True)
        ),
        "erfasste_unterschriften": [
            {"fassung": party.version.title, "partner": party.partner.name}
            for party in AgreementParty.objects.filter(recorded_by=person).select_related(
                "version", "partner"
            )
        ],
    }


@transaction.atomic
def account_delete(*, person: User) -> None:
    """Deletes the person and what is only theirs (addresses, settings, follows, sessions).
    The cooperation's records – initiatives, steps, comments, votes, signatures – stay; where
    they named the person, they now say "ehemalige Person"."""
    partner_services.sessions_end(person=person)
    person.delete()
