import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from kooperation.devdata import scale
from partners.models import Partner, User


class Command(BaseCommand):
    help = (
        "Füllt eine leere Datenbank mit dem bundesweiten Datensatz: 11.000 Partner, 100.000 "
        "Personen, 50.000 Initiativen mit Beteiligungen, Kommentaren und Lösungen, 20.000 "
        "gemeinsame Positionen (für die Benchmarks). Ist er schon da, bleibt alles, wie es ist."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--into-existing",
            action="store_true",
            help="Auch in eine Datenbank schreiben, die schon Partner oder Personen enthält.",
        )
        defaults = scale.Counts()
        for name in defaults.__dataclass_fields__:
            parser.add_argument(
                f"--{name}", type=int, default=getattr(defaults, name), metavar="ANZAHL"
            )

    def handle(self, *args, **options):
        counts = scale.Counts(**{name: options[name] for name in scale.Counts.__dataclass_fields__})
        if any(value < 0 for value in vars(counts).values()):
            raise CommandError("Anzahlen dürfen nicht negativ sein.")
        if counts.partners < 1 or counts.people < counts.partners + 1:
            raise CommandError(
                "Es braucht mindestens einen Partner und mehr Personen als Partner "
                "(je Partner eine Dezernentin oder ein Dezernent)."
            )
        if counts.initiatives < 1 and (counts.participations or counts.comments):
            raise CommandError("Beteiligungen und Kommentare brauchen Initiativen.")
        if scale.already_seeded():
            self.stdout.write("Der Datensatz ist schon angelegt:")
            self.report(scale.table_sizes())
            return
        if not options["into_existing"] and (Partner.objects.exists() or User.objects.exists()):
            raise CommandError(
                "Die Datenbank enthält schon Partner oder Personen. Der Datensatz ist für eine "
                "eigene Datenbank gedacht (er legt auch ein Konto mit bekanntem Passwort an); "
                "wer ihn trotzdem hinzufügen will, gibt --into-existing an."
            )
        started = time.monotonic()
        with transaction.atomic():
            sizes = scale.seed(counts, say=lambda text: self.stdout.write(text))
        if connection.vendor == "postgresql":
            # Statistics for the planner and the visibility map for index-only scans, as
            # autovacuum would leave them after a while.
            # (Inside a transaction – a test – only ANALYZE is possible.)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write(f"Angelegt in {time.monotonic() - started:.0f} s:")
        self.report(sizes)

    def report(self, sizes):
        for table, rows in sizes.items():
            self.stdout.write(f"  {table}: {rows:,}".replace(",", "."))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
                self.stdout.write(f"  Größe der Datenbank: {cursor.fetchone()[0]}")
