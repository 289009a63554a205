from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kooperation import digest
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
        period = digest.period_of(frequency, moment)
        label = Frequency(frequency).label
        self.stdout.write(
            f"Zusammenfassung {label}, Zeitraum {period}, "
            f"Stand {timezone.localtime(moment):%d.%m.%Y %H:%M %Z}"
        )
        totals = {"claimed": 0, "sent": 0, "empty": 0}
        for batch in digest.recipient_batches(frequency, period):
            if dry_run:
                self.show(frequency, moment, batch, totals)
                continue
            result = digest.deliver(
                frequency=frequency, period=period, until=moment, recipient_ids=batch
            )
            for key in totals:
                totals[key] += result[key]
        verb = "bekämen eine E-Mail" if dry_run else "E-Mails versendet"
        self.stdout.write(
            self.style.SUCCESS(f"{totals['sent']} {verb}, {totals['empty']} ohne Neuigkeiten.")
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

    def show(self, frequency, moment, batch, totals):
        deliveries = [
            DigestDelivery(recipient_id=pk, frequency=frequency, until=moment) for pk in batch
        ]
        for built in digest.build(deliveries):
            if not built.items:
                totals["empty"] += 1
                continue
            totals["sent"] += 1
            entries = "Eintrag" if built.items == 1 else "Einträge"
            self.stdout.write(f"\n{built.recipient.email}: {built.items} {entries}")
            for key, items, total in built.sections:
                self.stdout.write(f"  {digest.SECTION_TITLES[key]} ({total})")
                for item in items:
                    self.stdout.write(f"    - {item.text}")
