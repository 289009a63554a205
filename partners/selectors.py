import difflib

from django.db.models import Q

from partners.models import AgreementVersion, Partner


def agreement_in_force() -> AgreementVersion | None:
    return AgreementVersion.objects.in_force().first()


def agreement_changes(version: AgreementVersion) -> list[tuple[str, str]]:
    """The lines of `version` against the one before it: ('same'|'added'|'removed', line)."""
    before = (version.previous.text if version.previous else "").splitlines()
    after = version.text.splitlines()
    changes = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if operation == "equal":
            changes.extend(("same", line) for line in after[b_start:b_end])
            continue
        changes.extend(("removed", line) for line in before[a_start:a_end])
        changes.extend(("added", line) for line in after[b_start:b_end])
    return changes


def partner_directory(*, query: str = ""):
    partners = Partner.objects.with_department_heads().order_by("-status", "name")
    if query:
        partners = partners.filter(Q(name__icontains=query) | Q(official_key__startswith=query))
    return partners
