"""The staff workflow board: what waits on whom in the certification of a call."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from assessments.models import ScoreSheet
from talentstation.dates import today
from talentstation.models import Objection, Publicity

from .models import Application, Call, HostUnit, ReviewAssignment


@dataclass
class Board:
    call: Call | None
    counts: list = field(default_factory=list)  # (value, label, count)
    unconfirmed_codes: list = field(default_factory=list)
    units_to_verify: list = field(default_factory=list)
    to_check: list = field(default_factory=list)
    without_experts: list = field(default_factory=list)
    late_reviews: list = field(default_factory=list)
    shortlisted: list = field(default_factory=list)
    approved: list = field(default_factory=list)
    open_objections: list = field(default_factory=list)
    running_publicities: list = field(default_factory=list)
    ready_to_publish: list = field(default_factory=list)


def build_board(call=None):
    """Every list in a constant number of queries, whatever the number of rows."""
    call = call or Call.objects.published().order_by("-year", "-open_date").first()
    board = Board(call=call)
    board.unconfirmed_codes = list(HostUnit.objects.needing_code_confirmation())
    board.units_to_verify = list(
        HostUnit.objects.awaiting_verification()
        .filter(~Q(business_licence=""))
        .annotate(
            pending=Count(
                "applications", filter=Q(applications__status=Application.Status.SUBMITTED)
            )
        )
        .order_by("-pending", "created_at")
    )
    publicities = (
        Publicity.objects.filter(status=Publicity.Status.RUNNING)
        .annotate(open_count=Count("objections", filter=Q(
            objections__status=Objection.Status.OPEN)))
        .order_by("last_day")
    )
    day = today()
    board.running_publicities = [p for p in publicities if p.last_day >= day]
    board.ready_to_publish = [p for p in publicities if p.last_day < day]
    board.open_objections = list(
        Objection.objects.filter(status=Objection.Status.OPEN).select_related("publicity", "item")
    )
    if call is None:
        return board
    applications = Application.objects.filter(call=call).select_related("host_unit")
    counts = dict(
        applications.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    board.counts = [
        (value, label, counts.get(value, 0)) for value, label in Application.Status.choices
    ]
    board.to_check = list(
        applications.filter(status=Application.Status.SUBMITTED).order_by("submitted_at")
    )
    board.without_experts = list(
        applications.filter(status=Application.Status.ACCEPTED, review_assignments=None)
    )
    submitted_sheet = ScoreSheet.objects.filter(
        scorer=OuterRef("expert"),
        object_id=OuterRef("application_id"),
        content_type__model="application",
        status=ScoreSheet.Status.SUBMITTED,
    )
    board.late_reviews = list(
        ReviewAssignment.objects.filter(
            application__call=call,
            due_date__lt=day,
            application__status=Application.Status.ACCEPTED,
        )
        .annotate(done=Exists(submitted_sheet))
        .filter(done=False)
        .select_related("application", "expert")
        .order_by("due_date")
    )
    board.shortlisted = list(applications.filter(status=Application.Status.SHORTLISTED))
    board.approved = list(applications.filter(status=Application.Status.APPROVED))
    return board
