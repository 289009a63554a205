from django.core.management.base import BaseCommand, CommandError

from kooperation import mfa
from partners.models import User


class Command(BaseCommand):
    help = (
        "Setzt den zweiten Faktor einer Person zurück (Authenticator-App und "
        "Wiederherstellungscodes) und beendet ihre Sitzungen – für den Notfall, etwa wenn die "
        "letzte Person der Geschäftsstelle Telefon und Codes verloren hat."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="E-Mail-Adresse der Person")

    def handle(self, *args, email, **options):
        person = User.objects.filter(email__iexact=email.strip()).first()
        if person is None:
            raise CommandError(f"Keine Person mit der Adresse {email}.")
        deleted = mfa.reset(person)
        self.stdout.write(
            f"Zweiter Faktor von {person.email} zurückgesetzt ({deleted} Einträge entfernt); "
            "bei der nächsten Anmeldung richtet die Person ihn neu ein."
        )
