"""Demo step (registered in awards/setup_nominations.py, order 43): a nomination batch to the
city, from fixtures/demo_nominations.yaml — the excellent stations of the demo's published
ranking (if the ranking step has run; else the best-scored certified stations of the latest
closed cycle) and one more certified station, introductions and reasons prefilled, submitted
a few days before the load day through the services and ``perform`` (the units have read the
notice since)."""

import datetime

from assessments.models import Assessment, AssessmentCycle
from stations.models import Station
from talentstation import fixtures
from talentstation.workflow import perform

from . import nominations
from .forms.nominations import BatchForm
from .models import NominationBatch

ONE_DAY = datetime.timedelta(days=1)


def _best_stations(count):
    """The excellent stations of the latest published ranking, else the best-scored live
    stations of the latest closed cycle."""
    excellent = nominations.excellent_entries()
    if excellent:
        ids = list(excellent)[:count]
        stations = Station.objects.certified().in_bulk(ids)
        return [stations[pk] for pk in ids if pk in stations]
    cycle = AssessmentCycle.objects.closed().order_by("-first_year").first()
    if cycle is None:
        return []
    assessments = (
        Assessment.objects.filter(cycle=cycle, score__isnull=False)
        .filter(station__status__in=Station.LIVE_STATES)
        .select_related("station")
        .order_by("-score", "station__name")
    )
    return [a.station for a in assessments[:count]]


def load_nominations(district):
    data = fixtures.load("demo_nominations.yaml")
    spec = dict(data["batch"], title=data["batch"]["title"].format(year=district.year))
    if NominationBatch.objects.filter(title=spec["title"]).exists():
        return
    chosen = _best_stations(data["best"])
    others = Station.objects.certified().exclude(pk__in=[s.pk for s in chosen]).order_by("name")
    chosen += list(others[: data["more"]])
    if not chosen:
        return
    staff = district.staff
    with district.at(district.today - data["prepared_days_ago"] * ONE_DAY):
        form = BatchForm(spec)
        if not form.is_valid():  # pragma: no cover - a mistake in the data file
            raise ValueError(form.errors.as_text())
        batch = nominations.create_batch(form, by=staff)
        for station in chosen:
            nominations.add_station(batch, station, by=staff)
    with district.at(district.today - data["submitted_days_ago"] * ONE_DAY):
        perform(batch, "submit", by=staff)
        # The units read the notice that their station was recommended the same day.
        for station in chosen:
            for user in station.host_unit.users():
                district.read_inbox(user)
