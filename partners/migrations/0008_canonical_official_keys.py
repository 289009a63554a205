"""Stores every official key in its canonical form (partners.official_keys.canonical): a Kreis
as its Kreisschlüssel, a Gemeinde as its AGS, a Gemeindeverband as its ARS.

Two records of one Kommune come to light here. Partners: the second keeps its key as it was
(the office merges them by hand; a note is printed). Open applications: one of a Kommune that
is a member, or a second one of a Kommune already applying, is closed as withdrawn, with a step
in its timeline that says why – nobody votes twice on one Kommune.
"""

from django.db import migrations
from django.utils import timezone

from partners.official_keys import canonical

OPEN = ("unconfirmed", "pending")


def to_canonical(apps, schema_editor):
    Partner = apps.get_model("partners", "Partner")
    Application = apps.get_model("partners", "Application")
    ApplicationEvent = apps.get_model("partners", "ApplicationEvent")

    partners = list(Partner.objects.order_by("pk").values_list("pk", "official_key"))
    # A key already in its canonical form keeps it; the others follow if it is still free.
    taken = {key: pk for pk, key in partners if canonical(key) == key}
    for pk, key in partners:
        if canonical(key) == key:
            continue
        if canonical(key) in taken:
            other = taken[canonical(key)]
            print(f"\n  Partner {pk} und {other} sind eine Kommune ({canonical(key)}).", end="")
            continue
        taken[canonical(key)] = pk
        Partner.objects.filter(pk=pk).update(official_key=canonical(key))

    members = set(Partner.objects.filter(status="member").values_list("official_key", flat=True))
    applying = set()
    now = timezone.now()
    closed, renamed = [], []
    for application in Application.objects.order_by("submitted_at", "pk"):
        key = canonical(application.official_key)
        reason = ""
        if application.status in OPEN:
            if key in members:
                reason = "Die Kommune ist bereits Partner der Kooperation."
            elif key in applying:
                reason = "Für dieselbe Kommune liegt bereits ein offener Antrag vor."
            else:
                applying.add(key)
        (closed if reason else renamed).append((application.pk, key, reason))
    # The duplicates close first: the one open application per key may then take it.
    for pk, key, reason in closed:
        Application.objects.filter(pk=pk).update(
            official_key=key, status="withdrawn", decided_at=now
        )
        ApplicationEvent.objects.create(
            application_id=pk,
            kind="withdrawn",
            comment=f"Bei der Vereinheitlichung der amtlichen Schlüssel geschlossen: {reason}",
            created_at=now,
        )
    for pk, key, _reason in renamed:
        Application.objects.filter(pk=pk).update(official_key=key)


class Migration(migrations.Migration):
    dependencies = [("partners", "0007_application_confirmed_at_before_confirmation")]

    operations = [migrations.RunPython(to_canonical, migrations.RunPython.noop)]
