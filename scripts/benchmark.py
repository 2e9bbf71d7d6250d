"""Speed budgets of the portal, measured outside the test suite.

    DEBUG=1 .venv/bin/python scripts/benchmark.py [--rows 200]

Builds a throwaway SQLite database with ``--rows`` applications (and their units, stations,
attachments), then times the pages and documents that grow with the data. Each measurement is
the median of several runs; the script exits with status 1 when one is over its budget.
Budgets are for the 2-core build machines; PDF rendering needs libharfbuzz-subset0.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUDGETS = {  # seconds, median
    "staff board": 0.5,
    "station list (staff)": 0.5,
    "public directory": 0.5,
    "application status page": 0.3,
    "publicity page (100 entries)": 0.3,
    "Annex 1 PDF": 1.0,
    "certificate PDF": 1.0,
}


def median_time(func, runs=5):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def publicity_of(entries):
    """A list under publicity, open for objections today, with ``entries`` entries."""
    import datetime

    from django.contrib.contenttypes.models import ContentType

    from talentstation.dates import today
    from talentstation.models import Publicity, PublicityItem

    first = today()
    publicity = Publicity.objects.create(
        purpose="new_stations",
        title="拟认定名单公示",
        basis="依据",
        contact="电话",
        start_date=first,
        working_days=5,
        first_day=first,
        last_day=first + datetime.timedelta(days=10),
    )
    Publicity.objects.filter(pk=publicity.pk).update(status=Publicity.Status.RUNNING)
    kind = ContentType.objects.get_for_model(Publicity)
    PublicityItem.objects.bulk_create(
        PublicityItem(
            publicity=publicity,
            content_type=kind,
            object_id=n,
            order=n,
            name=f"福州高新区第{n}号人才驿站",
            description="拟认定",
        )
        for n in range(entries)
    )
    return publicity


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200)
    args = parser.parse_args()
    database = Path(tempfile.mkdtemp()) / "benchmark.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "talentstation.settings_test"

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)

    from django.urls import reverse

    from stations.documents import annex1_pdf, certificate_pdf
    from stations.models import Station
    from talentstation.roles import Role
    from tests import factories

    call = factories.CallFactory()
    applications = [factories.ApplicationFactory(call=call) for _ in range(args.rows)]
    certified = [
        factories.StationFactory(status=Station.Status.CERTIFIED, plaque_number=f"B-{n:05d}")
        for n in range(args.rows)
    ]
    staff = factories.UserFactory(role=Role.STAFF)
    publicity = publicity_of(100)
    client = Client()
    client.force_login(staff)
    public = Client()

    results = {
        "staff board": median_time(lambda: client.get(reverse("stations:staff_todo"))),
        "station list (staff)": median_time(lambda: client.get(reverse("stations:staff_stations"))),
        "public directory": median_time(lambda: public.get(reverse("stations:directory"))),
        "application status page": median_time(
            lambda: client.get(reverse("stations:application_detail", args=[applications[0].pk]))
        ),
        "publicity page (100 entries)": median_time(
            lambda: public.get(reverse("publicity_detail", args=[publicity.pk]))
        ),
        "Annex 1 PDF": median_time(lambda: annex1_pdf(applications[0]), runs=3),
        "certificate PDF": median_time(lambda: certificate_pdf(certified[0]), runs=3),
    }
    over = False
    print(f"{'measurement':<28}{'median':>10}{'budget':>10}")
    for name, seconds in results.items():
        budget = BUDGETS[name]
        flag = "" if seconds <= budget else "  OVER BUDGET"
        over = over or bool(flag)
        print(f"{name:<28}{seconds:>9.3f}s{budget:>9.2f}s{flag}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
