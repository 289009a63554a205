"""The filtered position list as CSV and JSON, streamed, with the cells and the refusal of bad
filters of the initiatives' exports."""

import csv
import json

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from initiatives.exports import Echo, bad_filters_response, csv_cell, iso
from positions.filters import PositionFilter

CSV_COLUMNS = [
    "Titel",
    "Anlass",
    "Status",
    "Adressaten",
    "Federführung",
    "Frist der Mitzeichnung",
    "Versandt am",
    "Veröffentlicht",
    "Adresse",
]


def _rows(request, filters: PositionFilter):
    for position in filters.qs.iterator(chunk_size=1000):
        yield {
            "id": position.pk,
            "title": position.title,
            "occasion": position.occasion,
            "status": position.get_status_display(),
            "addressees": [addressee.name for addressee in position.addressees.all()],
            "lead_partner": position.lead_partner.name,
            "deadline": position.deadline,
            "sent_on": position.sent_on,
            "is_published": position.is_published,
            "url": request.build_absolute_uri(
                reverse("positions:position_detail", args=[position.pk])
            ),
        }


class ExportView(View):
    def get(self, request):
        filters = PositionFilter.of_request(request)
        if filters.invalid:
            return bad_filters_response(
                request, of=_("Positionen"), back_url=reverse("positions:position_list")
            )
        response = StreamingHttpResponse(self.chunks(_rows(request, filters)))
        response["Content-Type"] = self.content_type
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        return response


class PositionCsvExportView(ExportView):
    content_type, filename = "text/csv; charset=utf-8", "positionen.csv"

    def chunks(self, rows):
        writer = csv.writer(Echo(), delimiter=";")
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)
        for row in rows:
            values = [
                *(row[name] for name in ("title", "occasion", "status")),
                ", ".join(row["addressees"]),
                *(row[name] for name in ("lead_partner", "deadline", "sent_on")),
                _("ja") if row["is_published"] else _("nein"),
                row["url"],
            ]
            yield writer.writerow([csv_cell(value) for value in values])


class PositionJsonExportView(ExportView):
    content_type, filename = "application/json; charset=utf-8", "positionen.json"

    def chunks(self, rows):
        yield '{"positions": ['
        for number, row in enumerate(rows):
            dates = {name: iso(row[name]) for name in ("deadline", "sent_on")}
            yield ("," if number else "") + json.dumps({**row, **dates}, ensure_ascii=False)
        yield "]}"
