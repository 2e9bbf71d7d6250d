"""What the operation log proves, per station and calendar year: the evidence the compliance
view (Art. 7(6)) and the assessment cycles (Annex 2: 开展活动, 人才服务) read.

Only **accepted** entries count, by the calendar year of the entry's own date (not the day it
was logged or accepted). Computed in the database: two aggregate queries whatever the number of
stations.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Sum

from .models import Activity, ServiceRecord


@dataclass(frozen=True)
class YearTotals:
    """A station's accepted entries of one calendar year."""

    activities: int = 0
    activity_person_times: int = 0
    service_person_times: int = 0
    high_level: int = 0  # person-times of high-level talents at the activities

    @property
    def person_times(self):
        """Person-times served: at activities and through service records."""
        return self.activity_person_times + self.service_person_times


def _accepted_in(model, year, station_ids):
    entries = model.objects.filter(
        status=model.Status.ACCEPTED,
        date__gte=datetime.date(year, 1, 1),
        date__lte=datetime.date(year, 12, 31),
    )
    if station_ids is not None:
        entries = entries.filter(station_id__in=station_ids)
    return entries.values("station_id").order_by("station_id")


def year_totals(year, station_ids=None) -> dict[int, YearTotals]:
    """``{station id: YearTotals}`` of the accepted entries dated in ``year``.

    ``station_ids`` (ids or a queryset of ids) limits the stations; each of them is in the
    result, with zeros when it has no accepted entry. Without it, the stations that have an
    accepted entry are listed; asking for any other station gives zeros too (the result is a
    ``defaultdict``). Two queries.
    """
    activities = {
        row["station_id"]: row
        for row in _accepted_in(Activity, year, station_ids).annotate(
            n=Count("pk"), person_times=Sum("person_times"), high_level=Sum("high_level_talents")
        )
    }
    services = {
        row["station_id"]: row["person_times"]
        for row in _accepted_in(ServiceRecord, year, station_ids).annotate(
            person_times=Sum("person_times")
        )
    }
    result = defaultdict(YearTotals)
    ids = set(activities) | set(services)
    if station_ids is not None and not hasattr(station_ids, "query"):
        ids |= set(station_ids)
    for pk in ids:
        row = activities.get(pk, {})
        result[pk] = YearTotals(
            activities=row.get("n") or 0,
            activity_person_times=row.get("person_times") or 0,
            service_person_times=services.get(pk) or 0,
            high_level=row.get("high_level") or 0,
        )
    return result
