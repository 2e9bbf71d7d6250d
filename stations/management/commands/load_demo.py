"""Demo data for `make run`: the demo district of fixtures/demo.yaml (see stations/demo.py).

Idempotent: a database that holds the district already is left as it is.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from stations.demo import DEMO_PASSWORD, District
from talentstation.dates import today

# The demo's e-mail addresses are not real: its notices stay in the inboxes and the outbox.
QUIET_MAIL = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}


class Command(BaseCommand):
    help = (
        "Load the demo district: host units, stations and applications at every stage of the "
        "certification lifecycle, and one login per role."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="also when DEBUG is off")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for development (DEBUG=1); use --force to insist.")
        try:
            import time_machine  # noqa: F401 - the district's past is run at its dates
        except ImportError as missing:
            raise CommandError(
                "load_demo needs the development dependencies: pip install -e '.[test]'"
            ) from missing
        district = District(today=today())
        if (
            not district.is_loaded()
            and get_user_model()
            .objects.filter(username__in=[spec["username"] for spec in district.data["logins"]])
            .exists()
        ):
            raise CommandError(
                "This database holds other demo data (an earlier version of it?). Start from a "
                "fresh database: delete db.sqlite3 and media/ (`make clean` also removes .venv), "
                "then `make run`."
            )
        with override_settings(MAILERS=QUIET_MAIL):
            loaded = district.load()
        for warning in district.warnings:
            self.stderr.write(f"load_demo: {warning}")
        if loaded:
            self.print_summary(district)
        else:
            self.stdout.write("The demo district is loaded already; nothing changed.")
        self.print_logins(district)

    def print_summary(self, district):
        applications, stations, publicities = district.summary()
        self.stdout.write("Demo district loaded:")
        self.stdout.write(
            "  applications: " + ", ".join(f"{n} {state}" for state, n in applications.items())
        )
        self.stdout.write(
            "  stations: " + ", ".join(f"{n} {state}" for state, n in stations.items())
        )
        self.stdout.write(f"  publicities: {publicities}")

    def print_logins(self, district):
        url = settings.SITE_URL + "/"  # where the portal is served (`make run`: HOST and PORT)
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for role, username, email, full_name, post in district.logins():
            login = f"{username:<12} {email}" if username != email else email
            self.stdout.write(f"  {login:<37} {role}：{full_name}（{post}）")
        self.stdout.write(f"Open {url} — administration at {url}admin/ (staff).")
