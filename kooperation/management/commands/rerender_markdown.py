from django.apps import apps
from django.core.management.base import BaseCommand

from partners.markdown import markdown_html_fields, rerender


class Command(BaseCommand):
    help = (
        "Rendert das gespeicherte HTML aller Markdown-Texte neu (nach einer Änderung am "
        "Markdown-Renderer oder an der Bereinigung) und schreibt nur Einträge, deren HTML sich "
        "geändert hat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, metavar="ANZAHL")

    def handle(self, *args, batch_size, **options):
        total = 0
        for model in apps.get_models():
            if not markdown_html_fields(model):
                continue
            changed = rerender(model, batch_size=batch_size)
            total += changed
            self.stdout.write(f"{model._meta.verbose_name_plural}: {changed} geändert")
        self.stdout.write(f"Insgesamt {total} Einträge mit geändertem HTML gespeichert.")
