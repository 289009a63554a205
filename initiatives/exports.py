"""The filtered initiative list as a file: CSV for spreadsheets and JSON, streamed row by row.
Both take the list's parameters and refuse invalid ones before the download starts."""

import csv
import datetime
import json

from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from initiatives import selectors
from initiatives.filters import InitiativeFilter
from initiatives.models import Participation
from initiatives.views.access import MemberAccessMixin


def bad_filters_response(request, *, of: str = "", back_url: str = "") -> TemplateResponse:
    """An export with invalid filters: a German 400 page instead of a file. `of`: the list, as
    in "auf der Liste der …" (the initiatives by default)."""
    return TemplateResponse(
        request,
        "400.html",
        {
            "message": _(
                "Die Filterangaben in der Adresse sind ungültig. Bitte wählen Sie die Filter "
                "auf der Liste der %(list)s neu und exportieren Sie dann."
            )
            % {"list": of or _("Initiativen")},
            "back_url": back_url or reverse("initiatives:initiative_list"),
        },
        status=400,
    )


class Echo:
    """A file-like object whose write returns the line, for streaming CSV."""

    def write(self, value):
        return value


CSV_COLUMNS = [
    "Titel",
    "Zusammenfassung",
    "Arbeitsfeld",
    "Status",
    "Federführung",
    "Beteiligte Partner",
    "OZG-Bezug",
    "Zieldatum",
    "Vorgeschlagen am",
    "Letzte Aktivität",
    "Adresse",
]
# A cell starting with one of these is a formula to spreadsheet programs (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """One CSV cell as text a spreadsheet shows and never runs: dates as TT.MM.JJJJ, a leading
    formula character neutralised with an apostrophe."""
    if value is None:
        text = ""
    elif isinstance(value, datetime.date):
        text = value.strftime("%d.%m.%Y")
    else:
        text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def iso(value) -> str | None:
    return value.isoformat() if value else None


# Rows read at a time, each batch with one query for the partners taking part.
EXPORT_BATCH = 1000


def _export_rows(request, filters: InitiativeFilter):
    """The filtered initiatives as (initiative, row); dates as date and datetime objects, each
    export writes them in its format."""
    stages = {value: str(label) for value, label in Participation.Stage.choices}
    batch = []
    for initiative in filters.qs.iterator(chunk_size=EXPORT_BATCH):
        batch.append(initiative)
        if len(batch) == EXPORT_BATCH:
            yield from _rows_of(request, batch, stages)
            batch = []
    yield from _rows_of(request, batch, stages)


def _rows_of(request, initiatives: list, stages: dict):
    selectors.attach_taking_part(initiatives)
    for initiative in initiatives:
        yield (
            initiative,
            {
                "title": initiative.title,
                "summary": initiative.summary,
                "area": initiative.area.name,
                "status": initiative.get_status_display(),
                "lead_partner": initiative.lead_partner.name,
                "partners": [
                    {"name": taking.partner_name, "stage": stages[taking.stage]}
                    for taking in initiative.taking_part
                ],
                "ozg_reference": initiative.ozg_reference,
                "target_date": initiative.target_date,
                "created_at": timezone.localtime(initiative.created_at),
                "last_activity_at": timezone.localtime(initiative.last_activity_at),
                "url": request.build_absolute_uri(
                    reverse("initiatives:initiative_detail", args=[initiative.pk])
                ),
            },
        )


class InitiativeCsvExportView(MemberAccessMixin, View):
    """The filtered list as CSV for spreadsheets: UTF-8 with BOM, semicolons, German headers."""

    def get(self, request):
        # The filters are checked before the download starts, not in its middle.
        filters = InitiativeFilter.of_request(request)
        if filters.invalid:
            return bad_filters_response(request)
        writer = csv.writer(Echo(), delimiter=";")

        def lines():
            yield "\ufeff" + writer.writerow(CSV_COLUMNS)
            for _initiative, row in _export_rows(request, filters):
                values = [
                    row["title"],
                    row["summary"],
                    row["area"],
                    row["status"],
                    row["lead_partner"],
                    ", ".join(f"{p['name']} ({p['stage']})" for p in row["partners"]),
                    row["ozg_reference"],
                    row["target_date"],
                    row["created_at"].date(),
                    row["last_activity_at"].date(),
                    row["url"],
                ]
                yield writer.writerow([csv_cell(value) for value in values])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="initiativen.csv"'
        return response


class InitiativeJsonExportView(MemberAccessMixin, View):
    def get(self, request):
        filters = InitiativeFilter.of_request(request)
        if filters.invalid:
            return bad_filters_response(request)

        def chunks():
            yield '{"initiatives": ['
            for number, (initiative, row) in enumerate(_export_rows(request, filters)):
                dates = {
                    name: iso(row[name])
                    for name in ("target_date", "created_at", "last_activity_at")
                }
                yield ("," if number else "") + json.dumps(
                    {"id": initiative.pk, **row, **dates}, ensure_ascii=False
                )
            yield "]}"

        response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="initiativen.json"'
        return response
