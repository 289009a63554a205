from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kooperation.devdata.demo import DEMO_PASSWORD, demo_accounts, load_demo_data


class Command(BaseCommand):
    help = "Lädt die Demo-Daten (Partner, Arbeitsfelder, Demo-Konten). Mehrfach ausführbar."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Auch ohne DEBUG laden (die Demo-Konten haben ein bekanntes Passwort).",
        )

    def handle(self, *args, allow_without_debug=False, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "Die Demo-Konten haben ein öffentlich bekanntes Passwort und werden deshalb nur "
                "mit DEBUG=true geladen (oder ausdrücklich mit --allow-without-debug)."
            )
        load_demo_data()
        self.stdout.write(self.style.SUCCESS("Demo-Daten sind geladen."))
        self.stdout.write(f"Demo-Konten (Passwort: {DEMO_PASSWORD}):")
        for email, description in demo_accounts():
            self.stdout.write(f"  {email:<36} {description}")
