"""The staff workflow board: what waits on whom in the certification of a call.

Each list shows its count and its first rows, with a link to the full list (paginated and
filterable: the staff application list, or the admin changelist with the right filter). Every
list costs one query, two when it has more rows than the board shows, whatever their number;
the lists of one application state take their count from the call's counts per state (one
query for all), so they cost one query whatever their length.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talentstation.dates import today
from talentstation.models import Objection, Publicity, ScorerAssignment
from talentstation.models.scoring import ScoreSheet

from .models import Application, Call, HostUnit

FIRST_ROWS = 8


@dataclass
class BoardList:
    key: str
    title: str
    rows: list
    count: int
    more_url: str
    help: str = ""
    badge: str = "primary"

    @property
    def more(self):
        return self.count > len(self.rows)


@dataclass
class Board:
    call: Call | None
    counts: list = field(default_factory=list)  # (value, label, count)
    lists: list = field(default_factory=list)

    def __getitem__(self, key):
        for board_list in self.lists:
            if board_list.key == key:
                return board_list
        raise KeyError(key)


def _list(key, title, queryset, more_url, *, count=None, **kwargs):
    """The list's first rows and its count: ``count`` when known, else counted only when there
    is more than the board shows."""
    if count is not None:
        return BoardList(key, title, list(queryset[:FIRST_ROWS]), count, more_url, **kwargs)
    rows = list(queryset[: FIRST_ROWS + 1])
    count = len(rows) if len(rows) <= FIRST_ROWS else queryset.count()
    return BoardList(key, title, rows[:FIRST_ROWS], count, more_url, **kwargs)


def _admin_list(model_name, **filters):
    url = reverse(f"admin:{model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def _applications_list(call, **filters):
    params = {"call": call.pk, **filters} if call else filters
    return f"{reverse('stations:staff_applications')}?{urlencode(params)}"


def late_reviews(day, call=None):
    """Assignments past their due date whose expert has not submitted his sheet."""
    submitted_sheet = ScoreSheet.objects.submitted().filter(
        scorer=OuterRef("scorer"),
        object_id=OuterRef("object_id"),
        content_type=OuterRef("content_type"),
    )
    assignments = ScorerAssignment.objects.of_kind(Application).filter(
        due_date__lt=day, application__status=Application.Status.ACCEPTED
    )
    if call is not None:
        assignments = assignments.filter(application__call=call)
    return assignments.filter(~Exists(submitted_sheet))


def build_board(call=None):
    """Every list in a constant number of queries, whatever the number of rows."""
    call = call or Call.objects.published().order_by("-year", "-open_date").first()
    board = Board(call=call)
    day = today()
    units = HostUnit.objects.order_by("created_at")
    board.lists += [
        _list(
            "unconfirmed_codes",
            _("Credit codes to confirm"),
            units.needing_code_confirmation(),
            _admin_list("stations_hostunit", code_state__exact=HostUnit.CodeState.UNCONFIRMED),
            help=_(
                "These codes fail the check character. Compare each with the business licence "
                "(or the national enterprise credit system) and confirm it in the administration "
                "(action “confirm the credit code”)."
            ),
            badge="warning",
        ),
        _list(
            "units_to_verify",
            _("Units to verify"),
            units.awaiting_verification()
            .filter(~Q(business_licence=""))
            .annotate(
                pending=Count(
                    "applications", filter=Q(applications__status=Application.Status.SUBMITTED)
                )
            )
            .order_by("-pending", "created_at"),
            _admin_list("stations_hostunit", verification__exact=HostUnit.Verification.UNVERIFIED),
            badge="info",
        ),
    ]
    if call is not None:
        board.lists += _call_lists(board, call, day)
    publicities = Publicity.objects.filter(status=Publicity.Status.RUNNING).annotate(
        open_count=Count("objections", filter=Q(objections__status=Objection.Status.OPEN))
    )
    running_url = _admin_list("talentstation_publicity", status__exact=Publicity.Status.RUNNING)
    board.lists += [
        _list(
            "open_objections",
            _("Objections to investigate"),
            Objection.objects.filter(status=Objection.Status.OPEN)
            .select_related("publicity", "item")
            .order_by("received_at"),
            _admin_list("talentstation_objection", status__exact=Objection.Status.OPEN),
            badge="danger",
        ),
        _list(
            "running_publicities",
            _("Under publicity"),
            publicities.filter(last_day__gte=day).order_by("last_day"),
            running_url,
        ),
        _list(
            "ready_to_publish",
            _("Publicity ended: ready to publish"),
            publicities.filter(last_day__lt=day).order_by("last_day"),
            running_url,
            badge="success",
        ),
    ]
    return board


def _call_lists(board, call, day):
    applications = Application.objects.filter(call=call).select_related("host_unit")
    counts = dict(
        applications.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    board.counts = [
        (value, label, counts.get(value, 0)) for value, label in Application.Status.choices
    ]
    S = Application.Status
    return [
        _list(
            "to_check",
            _("Formal check: submitted applications"),
            applications.filter(status=S.SUBMITTED).order_by("submitted_at"),
            _applications_list(call, status=S.SUBMITTED),
            count=counts.get(S.SUBMITTED, 0),
        ),
        _list(
            "without_experts",
            _("Waiting for an expert panel"),
            applications.filter(status=S.ACCEPTED, review_assignments=None).order_by("number"),
            _applications_list(call, status=S.ACCEPTED, panel="none"),
        ),
        _list(
            "late_reviews",
            _("Experts late with their score sheet"),
            late_reviews(day, call)
            .select_related("scorer")
            .prefetch_related("subject")
            .order_by("due_date"),
            _admin_list("talentstation_scorerassignment", late="yes"),
            badge="danger",
        ),
        _list(
            "shortlisted",
            _("Shortlisted: waiting for the leadership group"),
            applications.filter(status=S.SHORTLISTED).order_by("number"),
            _applications_list(call, status=S.SHORTLISTED),
            count=counts.get(S.SHORTLISTED, 0),
        ),
        _list(
            "approved",
            _("Approved: to put under publicity"),
            applications.filter(status=S.APPROVED).order_by("number"),
            _applications_list(call, status=S.APPROVED),
            count=counts.get(S.APPROVED, 0),
            help=_(
                "Select them in the administration (applications) and use the action “put the "
                "selected approved applications under publicity”."
            ),
        ),
    ]
