"""The ranking part of the outcomes: its domain functions.

- :func:`propose` builds (or, while it is a draft, re-computes) the :class:`Ranking` of a
  closed cycle from its final scores: one entry per assessment with its score and place, why
  it cannot be excellent (no score, below the pass mark, under rectification, revoked), its tie
  group (equal scores), how the tie was decided, and the excellent rank with its award from the
  settings pinned by the cycle.
- Ties are never resolved silently: the settings' tie-break items (higher points first) decide
  where they can and the entry says which item did; where they cannot and the tie matters (it
  straddles the excellent cut-off or lies within it), the entries are marked "staff must
  decide" and :func:`decide_tie` records the order staff set, with their reason.
- :func:`publicity_for` puts the excellent stations under publicity; the hooks of the purpose
  ``excellent_stations`` (registered in setup_ranking) move the ranking on and, at publication,
  create each excellent station's :class:`~awards.models.Award` and certificate number.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.results import final_scores
from stations.models import Station
from talentstation.rules import Refused, refuse_unless

from . import rules
from .models import Award, Ranking, RankingEntry

CENT = Decimal("0.01")
EXCELLENT_STATIONS = "excellent_stations"
PURPOSE_LABEL = gettext_lazy("excellent stations")

Exclusion = RankingEntry.Exclusion
TieDecision = RankingEntry.TieDecision


def _stored(score):
    return None if score is None else Decimal(score).quantize(CENT, rounding=ROUND_HALF_UP)


def _exclusion(station, score, pass_mark):
    if score is None:
        return Exclusion.NO_SCORE
    if station.status == Station.Status.REVOKED:
        return Exclusion.REVOKED
    if station.status == Station.Status.RECTIFYING:
        return Exclusion.RECTIFYING
    if pass_mark is not None and score < pass_mark:
        return Exclusion.BELOW_PASS
    return Exclusion.NONE


def _tie_break_points(final, titles):
    by_title = {row.item.title: row.points for row in final.items}
    return [_stored(by_title.get(title, Decimal(0))) or Decimal(0) for title in titles]


def assign_ranks(ranking, entries):
    """Give the first eligible entries (in place order) the excellent ranks and their awards;
    the others none. ``entries`` are saved."""
    policy = ranking.policy_version
    rank = 0
    for entry in entries:
        entry.rank = entry.award_amount = None
        if entry.eligible and not entry.withdrawn_reason and rank < policy.excellent_count:
            rank += 1
            entry.rank = rank
            entry.award_amount = policy.award_for(rank)
    RankingEntry.objects.bulk_update(entries, ["position", "rank", "award_amount", "tie_note"])


@transaction.atomic
def propose(cycle, by):
    """The ranking of the closed ``cycle``: created, or re-computed while it is a draft (the
    decisions of staff on ties are then taken again)."""
    refuse_unless(rules.manage_ranking, by)
    if not cycle.is_closed:
        raise Refused(_("The ranking is proposed from the final scores of a closed cycle."))
    ranking = Ranking.objects.filter(cycle=cycle).first()
    if ranking is not None and ranking.status != Ranking.Status.DRAFT:
        raise Refused(_("The ranking is no longer a draft: reopen it to compute it again."))
    policy = cycle.policy_version
    if ranking is None:
        ranking = Ranking.objects.create(cycle=cycle, policy_version=policy, created_by=by)
    ranking.entries.all().delete()
    titles = policy.tie_break_titles
    rows = []
    for final in final_scores(cycle):
        score = _stored(final.score)
        rows.append(
            RankingEntry(
                ranking=ranking,
                assessment=final.assessment,
                station=final.station,
                score=score,
                exclusion=_exclusion(final.station, score, policy.pass_mark),
                tie_break_points=_tie_break_points(final, titles),
            )
        )
    # Best score first, then the tie-break items (higher first), then the name (only to show
    # a stable order: such a tie is marked for staff where it matters).
    rows.sort(
        key=lambda e: (
            e.score is None,
            -(e.score or 0),
            [-p for p in e.tie_break_points],
            e.station.name,
        )
    )
    for position, entry in enumerate(rows, start=1):
        entry.position = position
    _mark_ties(rows, titles, policy.excellent_count)
    for entry in rows:
        entry.tie_break_points = [str(points) for points in entry.tie_break_points]
    entries = RankingEntry.objects.bulk_create(rows)
    assign_ranks(ranking, entries)
    return ranking


def _mark_ties(rows, titles, excellent_count):
    """Tie groups (equal scores), and how each tie among eligible stations is decided."""
    groups = {}
    for entry in rows:
        if entry.score is not None:
            groups.setdefault(entry.score, []).append(entry)
    number = 0
    eligible = [e for e in rows if e.eligible]
    for members in groups.values():
        if len(members) < 2:
            continue
        number += 1
        for entry in members:
            entry.tie_group = number
        tied = [e for e in members if e.eligible]
        if len(tied) < 2:
            continue
        for entry in tied:
            same = [e for e in tied if e.tie_break_points == entry.tie_break_points]
            if len(same) > 1:
                # Not separated: it matters where one of them could be excellent.
                if eligible.index(same[0]) < excellent_count:
                    entry.tie_decision = TieDecision.PENDING
                    entry.tie_note = _("The tie-break does not separate them: staff must decide.")
                continue
            entry.tie_decision = TieDecision.TIE_BREAK
            entry.tie_note = _decided_by(entry, tied, titles)


def _decided_by(entry, tied, titles):
    """Which tie-break item put ``entry`` apart from the others of its tie."""
    deciding = 0
    for other in tied:
        if other is entry:
            continue
        for index, (mine, theirs) in enumerate(
            zip(entry.tie_break_points, other.tie_break_points, strict=True)
        ):
            if mine != theirs:
                deciding = max(deciding, index)
                break
    if not titles:
        return ""
    return _("Decided by the tie-break item %(item)s (higher points first).") % {
        "item": titles[deciding]
    }


def undecided_set(entry):
    """The entries tied with ``entry`` that the tie-break does not separate (itself included),
    in place order."""
    return [
        e
        for e in entry.ranking.entries.filter(
            tie_group=entry.tie_group, tie_decision=TieDecision.PENDING
        ).select_related("station")
        if e.tie_break_points == entry.tie_break_points
    ]


@transaction.atomic
def decide_tie(entry, order, *, by, reason):
    """Staff set the order of a tie the tie-break does not separate: ``order`` lists the
    entries of :func:`undecided_set` best first. The reason is kept on each entry and in its
    history."""
    refuse_unless(rules.manage_ranking, by)
    ranking = Ranking.objects.select_for_update().get(pk=entry.ranking_id)
    if ranking.status != Ranking.Status.DRAFT:
        raise Refused(_("Ties are decided while the ranking is a draft."))
    tied = undecided_set(entry)
    if sorted(e.pk for e in order) != sorted(e.pk for e in tied) or len(tied) < 2:
        raise Refused(_("Put every tied station in the order exactly once."))
    positions = sorted(e.position for e in tied)
    note = (_("Order set by staff: %(reason)s") % {"reason": reason})[:300]
    for position, chosen in zip(positions, order, strict=True):
        chosen.position = position
        chosen.tie_decision = TieDecision.STAFF
        chosen.tie_note = note
        chosen._change_reason = note[:100]
        chosen.save(update_fields=["position", "tie_decision", "tie_note"])
    assign_ranks(ranking, list(ranking.entries.order_by("position", "pk")))


def entries_of(ranking):
    return list(
        ranking.entries.select_related("station__host_unit", "assessment")
        .prefetch_related(Prefetch("award", queryset=Award.objects.all()))
        .order_by("position", "pk")
    )


def excellent_entries(ranking):
    return [e for e in entries_of(ranking) if e.is_excellent]


def approve(ranking, *, by, meeting_date, meeting_reference):
    from talentstation.workflow import perform

    return perform(
        ranking,
        "approve",
        by=by,
        meeting_date=meeting_date,
        meeting_reference=meeting_reference,
        reason=meeting_reference,
    )


# Publicity of the excellent stations ---------------------------------------------------------


def publicity_defaults(ranking):
    policy = ranking.policy_version
    return {
        "title": f"{ranking.year_label}{policy.excellent_publicity_title}",
        "basis": policy.excellent_publicity_basis,
    }


@transaction.atomic
def publicity_for(ranking, by, *, contact, title="", basis=""):
    """The draft publicity listing the excellent stations of an approved ranking."""
    from talentstation.models import Publicity, PublicityItem

    refuse_unless(rules.manage_ranking, by)
    ranking.refresh_from_db()
    if ranking.status != Ranking.Status.APPROVED:
        raise Refused(_("Only a ranking approved by the leadership group goes under publicity."))
    entries = excellent_entries(ranking)
    if not entries:
        raise Refused(_("The ranking has no excellent station."))
    defaults = publicity_defaults(ranking)
    publicity = Publicity.objects.create(
        purpose=EXCELLENT_STATIONS,
        title=title or defaults["title"],
        basis=basis or defaults["basis"],
        contact=contact,
        created_by=by,
    )
    content_type = ContentType.objects.get_for_model(RankingEntry)
    PublicityItem.objects.bulk_create(
        PublicityItem(
            publicity=publicity,
            content_type=content_type,
            object_id=entry.pk,
            order=entry.rank,
            name=entry.station.name,
            description=_("%(unit)s · rank %(rank)s · %(score)s points")
            % {"unit": entry.station.host_unit.name, "rank": entry.rank, "score": entry.score},
        )
        for entry in entries
    )
    return publicity


def on_start(entry, *, by, publicity):
    """Starting the publicity moves the ranking on once (not once per entry)."""
    from talentstation.workflow import perform

    ranking = entry.ranking
    ranking.refresh_from_db()
    if ranking.status == Ranking.Status.APPROVED:
        perform(ranking, "start_publicity", by=by)


def on_withdraw(entry, *, by, reason):
    """An upheld objection: the station is not excellent (it loses rank and award)."""
    entry.refresh_from_db()
    entry.withdrawn_reason = reason
    entry.rank = entry.award_amount = None
    entry._change_reason = (
        _("Withdrawn after an upheld objection: %(reason)s") % {"reason": reason}
    )[:100]
    entry.save(update_fields=["withdrawn_reason", "rank", "award_amount"])


def certificate_number(entry):
    cycle = entry.ranking.cycle
    return f"榕高新优站〔{cycle.first_year}—{cycle.second_year}〕{entry.rank}号"


def on_conclude(entry, *, by, publicity):
    """Publication: the ranking is published (once) and the excellent station gets its
    certificate number and, where the settings name an amount, its award."""
    from talentstation.workflow import perform

    ranking = entry.ranking
    ranking.refresh_from_db()
    if ranking.status == Ranking.Status.PUBLICITY:
        perform(
            ranking,
            "publish",
            by=by,
            notice_number=publicity.notice_number,
            notice_date=publicity.notice_date,
            reason=publicity.notice_number,
        )
    entry.refresh_from_db()
    if not entry.is_excellent:
        return
    entry.certificate_number = certificate_number(entry)
    entry.save(update_fields=["certificate_number"])
    if entry.award_amount is not None and not Award.objects.filter(entry=entry).exists():
        Award.objects.create(entry=entry, station=entry.station, amount_due=entry.award_amount)


def policy_of(entry):
    return entry.ranking.policy_version


# Badges and pages ----------------------------------------------------------------------------


def excellent_titles(station):
    """The published excellent titles of ``station`` (「2024—2025年度 福州高新区优秀人才驿站」)."""
    entries = (
        RankingEntry.objects.filter(
            station=station, ranking__status=Ranking.Status.PUBLISHED, rank__isnull=False
        )
        .filter(withdrawn_reason="")
        .select_related("ranking__cycle", "ranking__policy_version")
        .order_by("-ranking__cycle__first_year")
    )
    return [entry.ranking.excellent_title for entry in entries]


def grade(entry):
    """优秀 / 合格 / 不合格 of the results notice."""
    if entry.is_excellent:
        return "优秀"
    if entry.score is None:
        return "未评分"
    pass_mark = entry.ranking.policy_version.pass_mark
    if pass_mark is None or entry.score >= pass_mark:
        return "合格"
    return "不合格"


def hub_context(user):
    """The context of this part's section of the outcomes hub (awards/_hub_ranking.html)."""
    from assessments.models import AssessmentCycle

    cycles = AssessmentCycle.objects.closed().select_related("ranking").order_by("-first_year")[:10]
    return {"ranking_cycles": list(cycles)}


def mine_context(unit, user):
    """The context of its section of a unit's outcomes page (awards/_mine_ranking.html)."""
    entries = (
        RankingEntry.objects.filter(
            station__host_unit=unit, ranking__status=Ranking.Status.PUBLISHED
        )
        .select_related("station", "ranking__cycle", "ranking__policy_version")
        .order_by("-ranking__cycle__first_year", "station__name")
    )
    return {"ranking_entries": list(entries)}


def publicities_of(ranking):
    """The publicities of the excellent stations of ``ranking`` (newest first)."""
    from talentstation.models import Publicity

    content_type = ContentType.objects.get_for_model(RankingEntry)
    return list(
        Publicity.objects.filter(
            purpose=EXCELLENT_STATIONS,
            items__content_type=content_type,
            items__object_id__in=ranking.entries.values("pk"),
        )
        .distinct()
        .order_by("-pk")
    )
