import uuid
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kooperation import digest, tasks
from kooperation.digest.content import LOOKBACK, PERIOD_LENGTH, read_news
from kooperation.models import DigestDelivery, Frequency


class Command(BaseCommand):
    help = (
        "Versendet die Zusammenfassungen eines Rhythmus sofort (ohne Celery), mit demselben Code "
        "wie die geplanten Läufe. Schon versendete Zusammenfassungen des Zeitraums bleiben aus."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency", required=True, choices=[Frequency.DAILY, Frequency.WEEKLY]
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Nur zeigen, wer was bekäme; nichts senden, nichts speichern.",
        )
        parser.add_argument(
            "--now",
            metavar="ISO-DATETIME",
            help="Zeitpunkt des Laufs, z. B. 2026-11-30T06:30 (Europe/Berlin, wenn ohne Zone).",
        )

    def handle(self, *args, frequency, dry_run, now, **options):
        moment = self.moment(now)
        if moment > timezone.now() + timedelta(minutes=1) and not dry_run:
            raise CommandError(
                "--now liegt in der Zukunft. Zusammenfassungen bis dahin würden spätere "
                "Neuigkeiten verschlucken; zum Ansehen eignet sich --dry-run."
            )
        period = digest.period_of(frequency, moment)
        until = tasks.run_until(moment)
        kind = digest.KIND_OF_DIGEST[frequency].capitalize()
        self.stdout.write(
            f"{kind} Zusammenfassung, Zeitraum {period}, "
            f"Stand {timezone.localtime(moment):%d.%m.%Y %H:%M %Z}"
        )
        self.window(frequency, moment, until)
        owner = f"command:{uuid.uuid4()}"
        totals = {"sent": 0, "empty": 0, "failed": 0, "held": 0}
        broken = 0
        for batch in digest.recipient_batches(frequency, period):
            if dry_run:
                self.show(frequency, until, batch, totals)
                continue
            try:
                result = digest.deliver(
                    frequency=frequency,
                    period=period,
                    until=until,
                    recipient_ids=batch,
                    owner=owner,
                )
            except digest.Deferred as error:
                result, _deferred = error.args
                broken += 1
                self.stderr.write(f"Ein Stapel ist nicht ganz versendet: {error}")
            except tasks.TRANSIENT as error:
                broken += 1
                self.stderr.write(f"Ein Stapel ist nicht ganz versendet: {error}")
                continue
            for key in totals:
                totals[key] += result[key]
        verb = "bekämen eine E-Mail" if dry_run else "E-Mails versendet"
        summary = f"{totals['sent']} {verb}, {totals['empty']} ohne Neuigkeiten."
        if totals["failed"]:
            summary += f" {totals['failed']} vom Mailserver abgelehnt (siehe Verwaltung)."
        if totals["held"]:
            summary += f" {totals['held']} gerade in Arbeit bei einem Worker."
        self.stdout.write(self.style.SUCCESS(summary))
        if broken:
            raise CommandError(
                f"{broken} Stapel nicht ganz versendet. Erneut ausführen: Schon Versendetes "
                "bleibt aus."
            )

    def window(self, frequency, moment, until):
        """Says what the run covers and what it leaves for the next one: the steps of the
        last DIGEST_SETTLE_SECONDS may belong to transactions still open (tasks.run_until)."""
        self.stdout.write(
            f"Neuigkeiten bis {timezone.localtime(until):%d.%m.%Y %H:%M:%S}, je Person seit "
            f"ihrer letzten Zusammenfassung (sonst ab "
            f"{timezone.localtime(until - PERIOD_LENGTH[frequency]):%d.%m.%Y %H:%M:%S}, "
            f"höchstens {LOOKBACK[frequency].days} Tage zurück)."
        )
        held_back = len(read_news(until, moment)) if until < moment else 0
        seconds = int((moment - until).total_seconds())
        steps = "Schritt" if held_back == 1 else "Schritte"
        self.stdout.write(
            f"Zurückgehalten: {held_back} {steps} der letzten {seconds} Sekunden "
            "(DIGEST_SETTLE_SECONDS); sie kommen in die nächste Zusammenfassung."
        )

    def moment(self, text):
        if not text:
            return timezone.now()
        try:
            moment = parse_datetime(text)
        except ValueError:
            moment = None
        if moment is None:
            raise CommandError(
                f"--now {text!r} ist kein Zeitpunkt. Erwartet wird z. B. 2026-11-30T06:30."
            )
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    def show(self, frequency, until, batch, totals):
        deliveries = [
            DigestDelivery(recipient_id=pk, frequency=frequency, until=until) for pk in batch
        ]
        for built in digest.build(deliveries):
            if not built.news:
                totals["empty"] += 1
                continue
            totals["sent"] += 1
            entries = "Eintrag" if built.items == 1 else "Einträge"
            self.stdout.write(f"\n{built.recipient.email}: {built.items} {entries}")
            for key, items, total in built.sections:
                self.stdout.write(f"  {digest.SECTION_TITLES[key]} ({total})")
                for item in items:
                    self.stdout.write(f"    - {item.text}")
