"""Documents of the ranking: the results notice 「考核结果通报」 of a cycle (every station with its
score and grade, the excellent stations with their awards, the stations ordered to rectify)
and the certificate 「福州高新区优秀人才驿站」 of an excellent station (A4, through
:func:`talentstation.documents.render_pdf`)."""

from stations.documents import CERTIFICATE_WIDTH_PT, STATION_TYPE_LABELS, chinese_date
from talentstation.dates import today
from talentstation.documents import fitting_size, render_pdf
from talentstation.models.scoring import format_points

from . import ranking
from .models import RectificationOrder

NOTICE_TEMPLATE = "awards/documents/results_notice.html"
CERTIFICATE_TEMPLATE = "awards/documents/excellent_certificate.html"
ISSUER = "福州高新区人力资源和社会保障局"
ROWS_PER_PAGE = 25

COMBINE_TEXT = {"mean": "各评分人总分的平均值", "median": "各评分人总分的中位数"}


def yuan(amount):
    return "" if amount is None else f"{amount:,.2f}"


def _score_text(score):
    return "—" if score is None else format_points(score)


def results_notice_context(obj):
    from assessments.models import Assessment
    from talentstation.models import ScorerAssignment

    cycle = obj.cycle
    entries = ranking.entries_of(obj)
    rows = [
        {
            "entry": entry,
            "score": _score_text(entry.score),
            "grade": ranking.grade(entry),
            "unit": entry.station.host_unit.name,
        }
        for entry in entries
    ]
    excellent = [
        {"entry": e, "score": _score_text(e.score), "award": yuan(e.award_amount)}
        for e in entries
        if e.is_excellent
    ]
    orders = (
        RectificationOrder.objects.filter(assessment__cycle=cycle)
        .exclude(status=RectificationOrder.Status.DRAFT)
        .select_related("station")
        .order_by("station__name", "pk")
    )
    scorers = (
        ScorerAssignment.objects.of_kind(Assessment)
        .filter(object_id__in=[e.assessment_id for e in entries])
        .values("scorer")
        .distinct()
        .count()
    )
    policy = obj.policy_version
    return {
        "ranking": obj,
        "cycle": cycle,
        "policy": policy,
        "rows": rows,
        "excellent": excellent,
        "excellent_count": policy.excellent_count,
        "pass_mark": format_points(policy.pass_mark) if policy.pass_mark is not None else "",
        "orders": [
            {
                "order": order,
                "deadline": chinese_date(order.deadline),
                "score": _score_text(order.score),
            }
            for order in orders
        ],
        "station_count": len(entries),
        "scorer_count": scorers,
        "combine": COMBINE_TEXT.get(cycle.combine, ""),
        "issuer": ISSUER,
        "issued_on": chinese_date(obj.notice_date or today()),
        "provisional": not obj.is_published,
    }


def results_notice_pdf(obj) -> bytes:
    context = results_notice_context(obj)
    pages = 1 + len(context["rows"]) // ROWS_PER_PAGE
    return render_pdf(NOTICE_TEMPLATE, context, pages=pages)


def results_notice_filename(obj) -> str:
    return f"考核结果通报-{obj.year_label}.pdf"


def certificate_context(entry):
    obj = entry.ranking
    station_size = fitting_size(entry.station.name, CERTIFICATE_WIDTH_PT, 24, 16) or 16
    return {
        "entry": entry,
        "station": entry.station,
        "unit_name": entry.station.host_unit.name,
        "station_size": station_size,
        "type_label": STATION_TYPE_LABELS.get(entry.station.station_type, ""),
        "year_label": obj.year_label,
        "title": obj.policy_version.excellent_title,
        "issuer": ISSUER,
        "issued_on": chinese_date(obj.notice_date or today()),
    }


def certificate_pdf(entry) -> bytes:
    return render_pdf(CERTIFICATE_TEMPLATE, certificate_context(entry))


def certificate_filename(entry) -> str:
    return f"优秀人才驿站证书-{entry.ranking.year_label}-{entry.station.name}.pdf"
