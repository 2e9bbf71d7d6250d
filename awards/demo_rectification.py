"""Demo step (registered in awards/setup_rectification.py, order 42): the demo's closed cycle
has 福州高新区乌龙江人才服务驿站 below the pass mark; its order is drafted after the cycle closed
and issued some weeks ago, with its deadline in the future (fixtures/demo_rectification.yaml).
The unit's administrator (``chen.jiahui``) gets the demo password, so logging in as him shows
the order on 「考核结果」 (awards:mine) with the report to file."""

import datetime

from assessments.models import AssessmentCycle
from talentstation import fixtures
from talentstation.dates import SHANGHAI

from . import rectification

ONE_DAY = datetime.timedelta(days=1)


def load_rectification(district):
    data = fixtures.load("demo_rectification.yaml")
    cycle = AssessmentCycle.objects.closed().order_by("first_year").first()
    if cycle is None:
        return
    closed_on = cycle.closed_at.astimezone(SHANGHAI).date()
    drafted_on = closed_on + data["drafted_days_after_closing"] * ONE_DAY
    issued_on = district.today - data["issued_days_ago"] * ONE_DAY
    if drafted_on >= issued_on:  # pragma: no cover - a cycle closed only lately
        drafted_on = issued_on - ONE_DAY
    with district.at(drafted_on, 9, 30):
        orders = rectification.draft_orders(cycle, by=district.staff)
    for order in orders:
        if order.station.name != data["station"]:
            continue
        with district.at(issued_on, 10, 15):
            rectification.issue(
                order,
                by=district.staff,
                issued_on=issued_on,
                deadline=issued_on + data["deadline_days_after_issue"] * ONE_DAY,
            )
        user = district.users.get(data["login"])
        if user is not None:
            district.set_demo_password(user)
