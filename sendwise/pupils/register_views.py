"""The register's export (CSV, XLSX), the census readiness check and the classes list. Thin
views."""

import csv
import io

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from openpyxl import Workbook

from sendwise.core.decorators import permission_required
from sendwise.core.models import AuditEntry
from sendwise.core.services import audit_record
from sendwise.pupils import selectors
from sendwise.pupils.views import register_filter_form

EXPORT_COLUMNS = [
    ("UPN", lambda p: p.upn),
    ("Surname", lambda p: p.last_name),
    ("Forename", lambda p: p.first_name),
    ("Date of birth", lambda p: p.date_of_birth.isoformat()),
    ("NC year", lambda p: p.nc_year),
    ("Class", lambda p: p.class_group.name if p.class_group else ""),
    ("Gender", lambda p: p.gender),
    ("SEN provision", lambda p: p.sen_provision),
    ("Primary need", lambda p: p.primary_need),
    ("Secondary need", lambda p: p.secondary_need),
    ("Area of need", lambda p: p.area_of_need),
    ("EAL", lambda p: "Y" if p.eal else "N"),
    ("Pupil premium", lambda p: "Y" if p.pupil_premium else "N"),
]


def _safe(value):
    """Stop spreadsheet formula injection (OWASP "CSV injection"): text starting with
    = + - @ tab or carriage return is prefixed with '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@permission_required("pupils.export_register")
def register_export(request):
    """The filtered register as CSV (default) or XLSX (`?format=xlsx`)."""
    form = register_filter_form(request)
    if form.is_bound and not form.is_valid():
        # A stale or edited link must not quietly download the whole register instead.
        return HttpResponseBadRequest(
            "The filters in this link are not valid: go back to the register and choose them again."
        )
    pupils = selectors.pupil_list(actor=request.actor, filters=form.filters())
    rows = [
        [_safe(get(p)) for _name, get in EXPORT_COLUMNS] for p in pupils.iterator(chunk_size=2000)
    ]
    header = [name for name, _get in EXPORT_COLUMNS]
    stamp = timezone.localdate().isoformat()
    kind = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    audit_record(
        actor=request.actor,
        action=AuditEntry.Action.EXPORT,
        object_type="register",
        object_id="-",
        object_repr="SEND register",
        detail=f"{kind}, {len(rows)} pupils; {request.GET.urlencode()}"[:300],
        request=request,
    )
    if kind == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet("SEND register")
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(header)
        writer.writerows(rows)
        response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="send-register-{stamp}.{kind}"'
    return response


@permission_required("pupils.view_census_checks")
def census_checks(request):
    """Pupils who would fail the next School Census return, with what to fix."""
    failing = selectors.census_readiness(actor=request.actor)
    return render(request, "pupils/census_checks.html", {"failing": failing})


@permission_required("core.view_classes")
def classes(request):
    class_groups = selectors.classes_for_actor(actor=request.actor)
    return render(request, "core/classes.html", {"class_groups": class_groups})
