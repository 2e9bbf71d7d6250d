"""Rectification and revocation (Art. 14): the domain functions of the rectification part.

- :func:`draft_orders` drafts an order for every station of a closed cycle whose stored final
  score is below the pass mark of the cycle's pinned policy settings, with one problem per
  Annex 2 item that did not reach its best tier (idempotent);
- :func:`create_order` is an order made by hand by bureau staff for a certified station (a
  reason, one problem to start with);
- the order's transitions (``issue``, ``file_report``, ``pass_inspection``,
  ``fail_inspection``, ``revoke``) run through :func:`talentstation.workflow.perform`; the
  functions below only prepare their input;
- :func:`flag_overdue` (``manage.py flag_overdue_rectifications``, daily) flags the issued
  orders past their deadline and tells staff and the unit once — it never revokes;
- :func:`revoke_station` revokes a certified station's plaque for another serious reason;
- :func:`hub_context` / :func:`mine_context` give this part's sections of the outcomes pages.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.results import final_scores
from stations.models import Station
from talentstation.dates import today
from talentstation.models.scoring import format_points
from talentstation.notifications import notify
from talentstation.roles import Role
from talentstation.rules import Refused, refuse_unless
from talentstation.workflow import perform

from . import rules
from .models import RectificationOrder, RectificationProblem

NOTICE_NUMBER_PATTERN = "榕高新区人社整改〔{year}〕{seq}号"


def staff_users():
    """The active bureau staff (the people told of reports filed and orders overdue)."""
    return get_user_model().objects.filter(
        is_active=True, is_staff=True, groups__name=Role.STAFF.value
    )


def next_notice_number(year):
    """The next free notice number of ``year`` (榕高新区人社整改〔2026〕3号)."""
    taken = set(
        RectificationOrder.objects.filter(notice_number__contains=f"〔{year}〕").values_list(
            "notice_number", flat=True
        )
    )
    seq = len(taken) + 1
    while NOTICE_NUMBER_PATTERN.format(year=year, seq=seq) in taken:
        seq += 1
    return NOTICE_NUMBER_PATTERN.format(year=year, seq=seq)


def below_pass_mark(cycle):
    """The final scores of a closed cycle below its pass mark (compared on the stored
    two-decimal score), worst last."""
    if not cycle.is_closed:
        raise Refused(_("Rectification orders are drafted from a closed cycle only."))
    mark = cycle.policy_version.pass_mark if cycle.policy_version_id else None
    if mark is None:
        return []
    return [row for row in final_scores(cycle) if row.score is not None and row.score < mark]


def _best_tier(item):
    tiers = sorted(item.tiers.all(), key=lambda tier: -tier.points)
    return tiers[0] if tiers else None


def _problems_for(row):
    """One problem per item of the sheet that did not reach its best points."""
    problems = []
    for index, item_points in enumerate(row.items):
        item, points = item_points.item, item_points.points
        best = item.max_contribution()
        if points >= best:
            continue
        tier = _best_tier(item)
        problems.append(
            RectificationProblem(
                item=item,
                points=points,
                order_in_notice=index,
                problem=_("%(item)s scored %(points)s of %(best)s points.")
                % {
                    "item": item.title,
                    "points": format_points(points),
                    "best": format_points(best),
                },
                requirement=(
                    _("Reach the standard: %(tier)s") % {"tier": tier.label}
                    if tier
                    else _("Reach the item's best points.")
                ),
            )
        )
    return problems


def draft_orders(cycle, *, by):
    """A draft order for every station of the closed ``cycle`` below its pass mark that has
    none from this cycle yet (a revoked station is left out). Returns the new orders."""
    refuse_unless(rules.manage_rectification, by)
    created = []
    with transaction.atomic():
        rows = below_pass_mark(cycle)
        done = set(
            RectificationOrder.objects.filter(assessment__cycle=cycle).values_list(
                "assessment_id", flat=True
            )
        )
        for row in rows:
            if row.assessment.pk in done or row.station.status == Station.Status.REVOKED:
                continue
            order = RectificationOrder.objects.create(
                station=row.station,
                assessment=row.assessment,
                score=row.score,
                created_by=by,
                summary=_(
                    "In the %(cycle)s the station scored %(score)s points, below the pass mark "
                    "of %(mark)s points."
                )
                % {
                    "cycle": cycle,
                    "score": format_points(row.score),
                    "mark": format_points(cycle.policy_version.pass_mark),
                },
            )
            problems = _problems_for(row)
            for problem in problems:
                problem.order = order
            RectificationProblem.objects.bulk_create(problems)
            created.append(order)
    return created


def create_order(station, *, by, reason, problem, requirement="", deadline=None):
    """An order made by hand for a certified station (not from an assessment)."""
    refuse_unless(rules.manage_rectification, by)
    if station.status != Station.Status.CERTIFIED:
        raise Refused(
            _("The station is %(status)s: only a certified station can be ordered to rectify.")
            % {"status": station.get_status_display()}
        )
    if not (reason or "").strip() or not (problem or "").strip():
        raise Refused(_("Give the reason and the problem found."))
    with transaction.atomic():
        order = RectificationOrder.objects.create(
            station=station, reason=reason, deadline=deadline, created_by=by
        )
        RectificationProblem.objects.create(order=order, problem=problem, requirement=requirement)
    return order


def issue(order, *, by, issued_on, deadline=None, notice_number=""):
    if deadline is not None and deadline <= issued_on:
        raise Refused(_("The deadline must be after the day of issue."))
    return perform(
        order,
        "issue",
        by=by,
        issued_on=issued_on,
        deadline=deadline,
        notice_number=notice_number,
    )


def file_report(order, *, by, text, evidence):
    """The unit's report (text and its evidence), then the transition; rolled back together
    when refused."""
    with transaction.atomic():
        order.refresh_from_db()
        refuse_unless(rules.file_rectification_report, by, order)
        if order.status != RectificationOrder.Status.ISSUED:
            raise Refused(_("The report of this order has been filed already."))
        order.report_text = text
        if evidence is not None:
            order.report_file = evidence
        order.save(update_fields=["report_text", "report_file"])
        return perform(order, "file_report", by=by)


def inspect(order, *, by, passed, inspected_on, findings):
    order.refresh_from_db()
    if inspected_on > today():
        raise Refused(_("The re-inspection date cannot be in the future."))
    name = "pass_inspection" if passed else "fail_inspection"
    return perform(
        order, name, by=by, reason=findings, inspected_on=inspected_on, findings=findings
    )


def revoke(order, *, by, reason, on):
    order.refresh_from_db()
    return perform(order, "revoke", by=by, reason=reason, on=on)


def revoke_station(station, *, by, reason, on):
    """Revoke a certified station's plaque for another serious reason (reasoned, audited).
    A station with an open order is revoked through that order."""
    refuse_unless(rules.manage_rectification, by)
    if station.status != Station.Status.CERTIFIED:
        raise Refused(
            _("Only a certified station is revoked from here (this one is %(status)s).")
            % {"status": station.get_status_display()}
        )
    if station.rectification_orders.filter(
        status__in=[s for s in RectificationOrder.OPEN_STATES if s != "draft"]
    ).exists():
        raise Refused(_("The station has an open rectification order: decide through it."))
    return perform(station, "revoke", by=by, reason=reason, on=on)


def flag_overdue(*, on=None):
    """Flag the issued orders past their deadline (Shanghai date) not flagged yet, and tell
    bureau staff and the unit once. Never revokes. Returns the orders flagged."""
    on = on or today()
    flagged = []
    orders = RectificationOrder.objects.filter(
        status=RectificationOrder.Status.ISSUED,
        deadline__lt=on,
        overdue_flagged_at__isnull=True,
    ).select_related("station__host_unit")
    staff = list(staff_users())
    for order in orders:
        with transaction.atomic():
            updated = RectificationOrder.objects.filter(
                pk=order.pk, overdue_flagged_at__isnull=True
            ).update(overdue_flagged_at=timezone.now())
            if not updated:
                continue
            subject = _(
                "Rectification of %(station)s: the deadline %(deadline)s has passed without "
                "a report"
            ) % {"station": order.station.name, "deadline": order.deadline.isoformat()}
            link = reverse("awards:rectification_detail", args=[order.pk])
            body = _(
                "Bureau staff decide whether the plaque is revoked; until then the report can "
                "still be filed (it is marked late)."
            )
            notify(staff, subject=subject, body=f"{subject}\n{body}", link=link)
            notify(order.station.host_unit.users(), subject=subject, body=subject, link=link)
            flagged.append(order)
    return flagged


def orders_for_list():
    return RectificationOrder.objects.select_related(
        "station__host_unit", "assessment__cycle"
    ).order_by("status", "deadline", "-pk")


def cycles_to_draft():
    """Closed cycles with stations below the pass mark that have no order yet."""
    from assessments.models import AssessmentCycle

    result = []
    for cycle in AssessmentCycle.objects.closed().select_related("policy_version"):
        missing = [
            row
            for row in below_pass_mark(cycle)
            if row.station.status != Station.Status.REVOKED
            and not row.assessment.rectification_orders.exists()
        ]
        if missing:
            result.append((cycle, len(missing)))
    return result


def hub_context(user):
    """The context of this part's section of the outcomes hub (awards/_hub_rectification.html)."""
    orders = orders_for_list()
    return {
        "rectification_open": list(orders.filter(status__in=RectificationOrder.OPEN_STATES)[:10]),
        "rectification_overdue": orders.filter(
            status=RectificationOrder.Status.ISSUED, deadline__lt=today()
        ).count(),
        "rectification_cycles": cycles_to_draft(),
        "rectification_may_act": rules.manage_rectification(user),
    }


def mine_context(unit, user):
    """The context of its section of a unit's outcomes page (awards/_mine_rectification.html)."""
    orders = (
        RectificationOrder.objects.filter(station__host_unit=unit)
        .exclude(status=RectificationOrder.Status.DRAFT)
        .select_related("station")
        .order_by("-issued_on", "-pk")
    )
    return {"rectification_orders": list(orders)}


def order_queryset():
    return RectificationOrder.objects.select_related(
        "station__host_unit", "assessment__cycle__policy_version", "reported_by", "inspected_by"
    )


def problems_of(order):
    return order.problems.select_related("item")


def open_order_of(station):
    return (
        station.rectification_orders.filter(~Q(status=RectificationOrder.Status.DRAFT))
        .filter(status__in=RectificationOrder.OPEN_STATES)
        .first()
    )
