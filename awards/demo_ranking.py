"""Demo step (registered in setup_ranking, order 40): the results of the demo's closed cycle
(Y-3)–(Y-2), from fixtures/demo_ranking.yaml: the ranking proposed, approved by the
leadership group, its excellent stations put under publicity (started in the past, so it has
ended) and published — their awards created, due to be paid.

Two stations of the closed cycle share the top score and every tie-break item (闽侯智谷 and
海西园, 100 points each): staff set their order with the recorded reason, as the policy asks
where the tie-break does not separate them. 南屿科创 is third; 大学城 reaches the pass mark but
not the top three; 乌龙江人才服务驿站 (36 points) is below it and is ordered to rectify.
"""

import datetime

from django.db import transaction

from assessments.models import AssessmentCycle
from talentstation import fixtures
from talentstation.calendar import CalendarIncomplete
from talentstation.publicity import conclude, start
from talentstation.rules import Refused
from talentstation.workflow import perform

from . import ranking
from .models import RankingEntry


def decide_ties(obj, spec, staff):
    """Staff order the tie the tie-break does not separate: the station named first first."""
    pending = obj.entries.filter(tie_decision=RankingEntry.TieDecision.PENDING)
    first = pending.select_related("station").first()
    if first is None:
        return
    tied = ranking.undecided_set(first)
    order = sorted(tied, key=lambda e: e.station.name != spec["first"])
    ranking.decide_tie(first, order, by=staff, reason=spec["reason"])


def load_ranking(district):
    cycle = AssessmentCycle.objects.closed().filter(first_year=district.year - 3).first()
    if cycle is None:
        return
    spec = fixtures.load("demo_ranking.yaml")
    staff = district.staff

    def day(key):
        years, month, dom = spec[key]
        return datetime.date(cycle.first_year + years, month, dom)

    with district.at(day("proposed"), 10):
        obj = ranking.propose(cycle, staff)
        decide_ties(obj, spec["tie"], staff)
        perform(obj, "propose", by=staff, reason=spec["confirmation_reason"])
    with district.at(day("approved"), 15):
        ranking.approve(
            obj,
            by=staff,
            meeting_date=day("approved"),
            meeting_reference=district.text(spec["meeting_reference"]),
        )
    with district.at(day("publicity_start") - datetime.timedelta(days=1), 16):
        publicity = ranking.publicity_for(obj, staff, contact=spec["contact"])
    try:
        with transaction.atomic(), district.at(day("publicity_start"), 9):
            start(publicity, by=staff, start_date=day("publicity_start"))
    except Refused as refusal:
        if not isinstance(refusal.__cause__, CalendarIncomplete):
            raise
        district.warnings.append(f"{publicity.title}: not started. {refusal.message}")
        return
    with district.at(day("concluded"), 10):
        conclude(
            publicity,
            by=staff,
            notice_number=district.text(spec["notice_number"]),
            notice_date=day("concluded"),
        )
