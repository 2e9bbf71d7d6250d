"""Demo step: staff and an official read units' files and pages through the portal's own views,
as they do in use, so the access log (admin 「个人信息查阅记录」) shows its records from
``make run`` on. Each request goes through the whole middleware stack: the record is the one the
portal itself writes, not one made up here."""

from django.test import Client
from django.urls import reverse

from .workflow import has_licence


def _read(user, urls):
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:  # pragma: no cover - a broken demo must say so
            raise RuntimeError(f"demo access: {url} answered {response.status_code}")


def load_access_records(district):
    units = [unit for unit in district.units.values() if has_licence(unit)][:3]
    for days_ago, unit in enumerate(units, start=2):
        with district.at(district.days_ago(days_ago), hour=9 + days_ago):
            _read(
                district.staff,
                [
                    reverse("stations:unit_detail", args=[unit.pk]),
                    reverse("stations:licence", args=[unit.pk]),
                ],
            )
    with district.at(district.days_ago(1), hour=15):
        _read(district.users["official"], [reverse("stations:staff_stations_xlsx")])
