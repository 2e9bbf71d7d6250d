"""Upward nomination (Art. 15 honours): the domain functions of the nomination batches.

Bureau staff build a batch to the city or the province, choose its stations (the chooser lists
the live stations, the excellent ones of the latest published ranking first), write for each
its 驿站简介 and 推荐理由 — prefilled from the station's profile, its accepted activity log of
the last calendar year and its ranking —, submit the batch (Annex 3 is then its document) and
record each station's outcome. Officials read and download; the units see that their station
was recommended, and the outcome. Every state change of a batch runs through
:func:`talentstation.workflow.perform`; who may do what is asked of :mod:`awards.rules`.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.evidence import year_totals
from assessments.models import StationProfile
from assessments.models.profile import RULES, RuleState
from stations.models import Station
from talentstation.dates import today
from talentstation.rules import Refused, refuse_unless

from . import rules
from .models import Nomination, NominationBatch, Ranking, RankingEntry

# --- the ranking the chooser and the reasons read ---------------------------------------------


def latest_published_ranking():
    """The ranking of the latest cycle whose result is published, or None."""
    return (
        Ranking.objects.filter(status=Ranking.Status.PUBLISHED)
        .select_related("cycle", "policy_version")
        .order_by("-cycle__first_year", "-pk")
        .first()
    )


def excellent_entries(ranking=None):
    """{station id: RankingEntry} of the excellent stations of ``ranking`` (default: the latest
    published one): ranked, not withdrawn."""
    ranking = ranking if ranking is not None else latest_published_ranking()
    if ranking is None:
        return {}
    entries = RankingEntry.objects.filter(
        ranking=ranking, rank__isnull=False, withdrawn_reason=""
    ).order_by("rank")
    result = {}
    for entry in entries:
        entry.ranking = ranking
        result[entry.station_id] = entry
    return result


@dataclass(frozen=True)
class Candidate:
    station: Station
    excellent: RankingEntry | None  # its place among the excellent stations, if it is one


def candidates(batch=None):
    """The stations a batch may add, best first: the live stations, the excellent ones of the
    latest published ranking first (by rank), then the others by name; without those already
    in ``batch``. Three queries."""
    stations = Station.objects.certified().select_related("host_unit").order_by("name", "pk")
    if batch is not None:
        stations = stations.exclude(nominations__batch=batch)
    excellent = excellent_entries()
    rows = [Candidate(station, excellent.get(station.pk)) for station in stations]
    return sorted(rows, key=lambda c: (c.excellent is None, c.excellent.rank if c.excellent else 0))


# --- the prefilled texts ----------------------------------------------------------------------

MISSING = object()  # "not given: read it" (None is a value: the station has no profile)

RULE_STATE_WORDS = {RuleState.COMPLETE: "健全", RuleState.INCOMPLETE: "不够健全"}
RULE_WORDS = {
    "asset_rules": "资产管理",
    "attendance_rules": "考勤",
    "fund_rules": "经费使用",
    "event_rules": "活动开展",
}


def _number(value):
    text = f"{value:f}" if value is not None else ""
    return text.rstrip("0").rstrip(".") if "." in text else text


def _venue(station, profile):
    parts = []
    if station.address:
        parts.append(f"位于{station.address}")
    area = (profile.area_m2 if profile else None) or station.area_m2
    if area:
        parts.append(f"场地面积{_number(area)}平方米")
    if profile is not None:
        areas = [
            name
            for name, present in (
                ("项目展示区", profile.has_display_area),
                ("人才政策宣传区", profile.has_publicity_area),
            )
            if present
        ]
        if areas:
            parts.append("设有" + "、".join(areas))
        if profile.hands_out_leaflets:
            parts.append("发放政策宣传资料")
        if profile.equipment.strip():
            parts.append("配备" + profile.equipment.strip().rstrip("。；;"))
    return "场所：" + ("，".join(parts) if parts else "（未填写驿站资料）") + "。"


def _rules(profile):
    if profile is None:
        return "制度：（未填写驿站资料）。"
    groups = {}
    for name, _label in RULES:
        state = getattr(profile, name)
        if state in RULE_STATE_WORDS:
            groups.setdefault(state, []).append(RULE_WORDS[name])
    if not groups:
        return "制度：尚未建立资产管理、考勤、经费使用和活动开展制度。"
    parts = ["、".join(names) + "制度" + RULE_STATE_WORDS[state] for state, names in groups.items()]
    return "制度：" + "；".join(parts) + "。"


def _staff(profile):
    if profile is None:
        return "配备人员：（未填写驿站资料）。"
    parts = []
    if profile.manager_name:
        parts.append(f"负责人{profile.manager_name}")
    if profile.has_management_team:
        parts.append("有策划组织活动、提供服务的管理团队")
    parts.append(
        f"专职服务人员{profile.full_time_staff}名、兼职服务人员{profile.part_time_staff}名"
    )
    return "配备人员：" + "，".join(parts) + "。"


def _activities(totals, year):
    text = f"开展活动情况：{year}年开展活动{totals.activities}场，服务{totals.person_times}人次"
    if totals.high_level:
        text += f"（其中高层次人才{totals.high_level}人次）"
    return text + "。"


def introduction_text(station, *, profile=MISSING, totals=None, year=None):
    """The 驿站简介 (场所、制度、配备人员、开展活动情况) prefilled from the station's profile and
    its accepted activities and services of ``year`` (default: the last calendar year)."""
    year = year or today().year - 1
    if profile is MISSING:
        profile = StationProfile.objects.filter(station=station).first()
    if totals is None:
        totals = year_totals(year, [station.pk])[station.pk]
    lines = [_venue(station, profile), _rules(profile), _staff(profile), _activities(totals, year)]
    return "\n".join(lines)[: Nomination._meta.get_field("introduction").max_length]


def reason_text(station, *, excellent=MISSING):
    """The 推荐理由 prefilled from the station's place among the excellent stations of the
    latest published ranking (``excellent``: its RankingEntry, or a false value when it is not
    one), else from its certification."""
    if excellent is MISSING:
        excellent = excellent_entries().get(station.pk)
    if excellent:
        cycle = excellent.ranking.cycle
        title = excellent.ranking.policy_version.excellent_title
        return (
            f"{cycle.first_year}—{cycle.second_year}年度考核得分{_number(excellent.score)}分，"
            f"排名第{excellent.rank}，评为{title}。"
        )
    text = "经认定的福州高新区人才驿站"
    if station.plaque_number:
        text += f"（{station.plaque_number}）"
    if station.certified_on:
        text += f"，{station.certified_on.year}年{station.certified_on.month}月认定"
    return text + "，运营规范，服务成效明显。"


# --- building a batch -------------------------------------------------------------------------


def create_batch(form, *, by):
    """Save a new batch from the staff's valid form."""
    refuse_unless(rules.manage_nominations, by)
    batch = form.save(commit=False)
    batch.created_by = by
    batch._history_user = by
    batch.save()
    return batch


def _editable(batch, by):
    refuse_unless(rules.manage_nominations, by, batch)
    batch.refresh_from_db()
    if not batch.is_draft:
        raise Refused(
            _("The batch has been submitted: reopen it (with a reason) to change its stations.")
        )


def add_station(batch, station, *, by):
    """Add ``station`` to the draft ``batch``, its introduction and reason prefilled."""
    _editable(batch, by)
    if not station.is_live:
        raise Refused(_("Only a certified station can be recommended."))
    order = (batch.nominations.aggregate(last=Max("order"))["last"] or 0) + 1
    nomination = Nomination(
        batch=batch,
        station=station,
        order=order,
        introduction=introduction_text(station),
        reason=reason_text(station),
    )
    nomination._history_user = by
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:
        raise Refused(_("This station is already in the batch.")) from None
    return nomination


def save_nomination(form, *, by):
    """Save the staff's changes to a nomination's introduction and reason (draft batch)."""
    nomination = form.instance
    _editable(nomination.batch, by)
    nomination = form.save(commit=False)
    nomination._history_user = by
    nomination.save()
    return nomination


def remove_nomination(nomination, *, by):
    _editable(nomination.batch, by)
    nomination._history_user = by
    nomination.delete()


def record_outcome(nomination, *, by, outcome, note=""):
    """Record whether the station was selected (a submitted batch)."""
    batch = nomination.batch
    refuse_unless(rules.manage_nominations, by, batch)
    batch.refresh_from_db()
    if not batch.is_submitted:
        raise Refused(_("Outcomes are recorded once the batch has been submitted."))
    nomination.outcome, nomination.outcome_note = outcome, note
    nomination.outcome_recorded_by = by
    nomination._history_user = by
    nomination.save(update_fields=["outcome", "outcome_note", "outcome_recorded_by"])
    return nomination


def batch_nominations(batch):
    """The nominations of ``batch`` in their order, with their stations (one query)."""
    return list(batch.nominations.select_related("station__host_unit").order_by("order", "pk"))


# --- notices ----------------------------------------------------------------------------------


def notify_units(batch, log):
    """Tell the users of each nominated station's unit that it was recommended (submit) or the
    outcome (record_outcomes)."""
    from talentstation.notifications import notify

    for nomination in batch_nominations(batch):
        if log.transition == "submit":
            subject = _("Your station %(station)s was recommended: %(batch)s") % {
                "station": nomination.station.name,
                "batch": batch.title,
            }
        else:
            subject = _("Outcome of the recommendation of %(station)s (%(batch)s): %(outcome)s") % {
                "station": nomination.station.name,
                "batch": batch.title,
                "outcome": nomination.get_outcome_display(),
            }
        body = str(subject)
        if nomination.outcome_note and log.transition != "submit":
            body += "\n" + nomination.outcome_note
        notify(
            nomination.station.host_unit.users(),
            subject=subject,
            body=body,
            link=reverse("awards:mine"),
            sender=log.actor,
        )


# --- the hub and the unit's page --------------------------------------------------------------


def hub_context(user):
    """The context of this part's section of the outcomes hub (awards/_hub_nominations.html)."""
    if not rules.view_nominations(user):
        return {}
    batches = NominationBatch.objects.all()
    return {
        "show_nominations": True,
        "nomination_batches": list(batches[:5]),
        "nomination_batch_count": batches.count(),
        "may_manage_nominations": rules.manage_nominations(user),
    }


def mine_context(unit, user):
    """The context of its section of a unit's outcomes page (awards/_mine_nominations.html):
    its stations' nominations in submitted or decided batches (never a draft)."""
    nominations = (
        Nomination.objects.filter(station__host_unit=unit)
        .exclude(batch__status=NominationBatch.Status.DRAFT)
        .select_related("batch", "station")
        .order_by("-batch__submitted_on", "-batch__pk", "order")
    )
    return {"unit_nominations": list(nominations)}
