from django.core.management.base import BaseCommand

from kooperation import mfa


class Command(BaseCommand):
    help = (
        "Verschlüsselt die gespeicherten zweiten Faktoren mit dem aktuellen SECRET_KEY neu. "
        "Nach einem Schlüsselwechsel ausführen, solange der alte in SECRET_KEY_FALLBACKS steht."
    )

    def handle(self, *args, **options):
        count = mfa.rotate_keys()
        self.stdout.write(f"{count} zweite(r) Faktor(en) neu verschlüsselt.")
