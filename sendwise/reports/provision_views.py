"""The costed provision map on paper and in a spreadsheet: the school's (with each pupil's share
in the spreadsheet) and one pupil's. The figures come from ``delivery.provision_selectors``,
the same as on the page; every pupil named in a download is written to the audit log as a read
of their record ("Exported" for the download itself). Downloads are attachments, so the
middleware marks them ``Cache-Control: no-store``.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from sendwise.core.decorators import permission_required
from sendwise.core.models import AuditEntry
from sendwise.core.services import audit_record
from sendwise.delivery import provision
from sendwise.delivery import provision_selectors as selectors
from sendwise.delivery.cost_views import map_filters
from sendwise.pupils.selectors import pupil_for, pupil_labels, pupil_read_audit
from sendwise.reports.pdf import render_pdf
from sendwise.reports.xlsx import Sheet, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOW = (
    "Staff cost: session minutes × the hourly cost of the deliverer's pay band (on-costs "
    "included), shared equally among the pupils on each session's register. Materials: per "
    "pupil, once, when a pupil first joins (not again when their support goes on into their "
    "next plan); a year's licence (a third for a term) and one-off sums "
    "shared among the pupils. Projected: the sessions still timetabled to the end of the places."
)


def _download(body: bytes, kind: str, name: str) -> HttpResponse:
    content_type = "application/pdf" if kind == "pdf" else XLSX
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


def _money(value) -> float:
    return float(provision.pounds(value))


def _hours(minutes: int) -> float:
    return round(minutes / 60, 1)


def _school_map(request):
    _form, chosen = map_filters(request)
    period = selectors.period_for(year=chosen["year"], term=chosen["term"])
    view = selectors.provision_map(actor=request.actor, period=period, nc_year=chosen["nc_year"])
    subtitle = view.period.label
    if chosen["nc_year"] is not None:
        subtitle += ", Reception" if chosen["nc_year"] == 0 else f", Year {chosen['nc_year']}"
    return view, subtitle


def _audit_export(request, kind: str, what: str, pupils) -> None:
    """The download itself, then a read of each pupil named in it."""
    audit_record(
        actor=request.actor,
        action=AuditEntry.Action.EXPORT,
        object_type="provision_map",
        object_id="-",
        object_repr=what,
        detail=f"{kind}; {request.GET.urlencode()}"[:300],
        request=request,
    )
    for pupil in pupils:
        pupil_read_audit(actor=request.actor, pupil=pupil, purpose=f"provision map ({kind})")


@permission_required("delivery.view_costs")
def school_pdf(request):
    """The school's provision map as an A4 PDF (interventions only: no pupil is named)."""
    view, subtitle = _school_map(request)
    _audit_export(request, "PDF", f"Provision map, {subtitle}", [])
    body = render_pdf(
        "reports/provision_school.html",
        {"map": view, "school_name": request.actor.school.name, "report_subtitle": subtitle},
        title="Costed provision map",
    )
    return _download(body, "pdf", f"provision-map-{timezone.localdate():%Y-%m-%d}")


@permission_required("delivery.view_costs")
def school_xlsx(request):
    """The school's provision map as a spreadsheet: by intervention, by funding source and by
    pupil (each pupil named is audited as a read)."""
    view, subtitle = _school_map(request)
    pupil_rows = view.pupil_rows()
    # Names as the reader may see them (a pupil since archived is not named), and a read of
    # each pupil named written to the audit log.
    pupils = {p.pk: p for p, _i, _c in pupil_rows}
    labels = pupil_labels(actor=request.actor, pupils=pupils.values())
    named = [pupils[pk] for pk, label in labels.items() if label.pupil_id is not None]
    _audit_export(request, "XLSX", f"Provision map, {subtitle}", named)
    by_intervention = [
        [
            name,
            row.pupils,
            _hours(row.planned_minutes),
            _hours(row.received_minutes),
            _hours(row.staff_minutes),
            _hours(row.timetabled_minutes),
            _money(row.staff),
            _money(row.materials),
            _money(row.to_date),
            _money(row.projected),
            "" if row.staff_known else "Some staff time not costed (no hourly cost for its band)",
        ]
        for name, row in view.named_rows
    ]
    total = view.total
    by_intervention.append(
        [
            "Total",
            total.pupils,
            _hours(total.planned_minutes),
            _hours(total.received_minutes),
            _hours(total.staff_minutes),
            _hours(total.timetabled_minutes),
            _money(total.staff),
            _money(total.materials),
            _money(total.to_date),
            _money(total.projected),
            "",
        ]
    )
    body = workbook_bytes(
        [
            Sheet(
                "Provision map",
                [
                    "Intervention",
                    "Pupils",
                    "Pupils' hours planned",
                    "Pupils' hours received",
                    "Staff hours",
                    "Staff hours timetabled",
                    "Staff cost (£)",
                    "Materials and licences (£)",
                    "Cost to date (£)",
                    "Projected to the end (£)",
                    "Note",
                ],
                by_intervention,
                note=f"{request.actor.school.name}: costed provision map, {subtitle}. {HOW}",
            ),
            Sheet(
                "Funding",
                ["Funding source", "Cost to date (£)", "Projected to the end (£)"],
                [[s, float(now), float(end)] for s, now, end in view.funding_rows()],
            ),
            Sheet(
                "Pupils",
                _PUPIL_HEADER,
                [
                    [labels[p.pk].name, _year(p.nc_year), name, *_pupil_cells(c, view)]
                    for p, name, c in pupil_rows
                ],
                note="Confidential: each pupil's share of the cost of their support.",
            ),
        ]
    )
    return _download(body, "xlsx", f"provision-map-{timezone.localdate():%Y-%m-%d}")


_PUPIL_HEADER = [
    "Pupil",
    "Year group",
    "Intervention",
    "Hours planned",
    "Hours received",
    "Share of staff cost (£)",
    "Materials and licences (£)",
    "Cost to date (£)",
    "Projected to the end (£)",
    "Funding",
]


def _year(nc_year) -> str:
    return "Reception" if nc_year == 0 else f"Year {nc_year}"


def _pupil_cells(cost: provision.PupilCost, view) -> list:
    return [
        _hours(cost.planned_minutes),
        _hours(cost.received_minutes),
        _money(cost.staff),
        _money(cost.materials),
        _money(cost.to_date),
        _money(cost.projected),
        selectors.SOURCES[cost.funding],
    ]


def _pupil_map(request, pupil_id: int, kind: str):
    pupil = pupil_for(actor=request.actor, pupil_id=pupil_id, purpose=f"provision map ({kind})")
    _form, chosen = map_filters(request, pupil_filters=False)
    period = selectors.period_for(year=chosen["year"], term=chosen["term"])
    # The read of the pupil's record is audited by ``pupil_for``, with the download as purpose.
    view = selectors.provision_map(actor=request.actor, period=period, pupil=pupil)
    return pupil, view


@permission_required("delivery.view_costs")
def pupil_pdf(request, pupil_id: int):
    pupil, view = _pupil_map(request, pupil_id, "PDF")
    body = render_pdf(
        "reports/provision_pupil.html",
        {
            "map": view,
            "pupil": pupil,
            "school_name": request.actor.school.name,
            "report_subtitle": f"{pupil.full_name}, {view.period.label}",
        },
        title="Provision map",
    )
    return _download(body, "pdf", f"provision-map-pupil-{pupil.pk}")


@permission_required("delivery.view_costs")
def pupil_xlsx(request, pupil_id: int):
    pupil, view = _pupil_map(request, pupil_id, "XLSX")
    rows = [[p.intervention, p.groups, *_pupil_cells(p.cost, view)] for p in view.placements]
    header = ["Intervention", "Groups", *_PUPIL_HEADER[3:]]
    body = workbook_bytes(
        [
            Sheet(
                "Provision map",
                header,
                rows,
                note=f"{pupil.full_name}, {view.period.label}. Confidential. {HOW}",
            )
        ]
    )
    return _download(body, "xlsx", f"provision-map-pupil-{pupil.pk}")
