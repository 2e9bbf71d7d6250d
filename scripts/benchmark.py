"""The portal's benchmark with its budgets (`make benchmark`; README "Speed budgets").

    .venv/bin/python scripts/benchmark.py [--stations 1000] [--small 10] [--duration 20]
        [--concurrency 16] [--json benchmark-results.json] [--no-load] [--smoke]

Needs a PostgreSQL server (``--database-url``, else BENCHMARK_DATABASE_URL, else
postgres://postgres@127.0.0.1:5432; a database name in the URL is only used to connect). The
script migrates a template database once (kept between runs as ``benchmark_template_<hash of
the migrations>``; migrated forward when migrations are added, rebuilt when one changes),
makes two throwaway databases from it, seeds a district of ``--small`` stations into one and
of ``--stations`` into the other (scripts/benchmark_seed.py) and drops both at the end. In one
run it measures:

1. every main page: its query count at both sizes (they must be equal) and, at the full size,
   the median time of repeated requests through the whole middleware stack in this process
   (django.test.Client), also as a ratio to a bare Django template view measured alike;
2. the official documents: Annex 1 PDF, Annex 2 PDF (one station), Annex 3 xlsx of every
   live station, Annex 3 PDF of 100 stations (the portal's own document functions), median;
3. a load run: the portal under gunicorn with production settings (DEBUG off, collected
   static files, the seeded database) on loopback, driven by wrk (scripts/benchmark_load.lua)
   for ``--duration`` seconds at ``--concurrency`` connections over public pages and one
   logged-in page: requests/s, p50/p95/p99 latency, errors.

It prints a table, writes the results as JSON and exits 1 when a budget is exceeded (2 when
PostgreSQL or a tool is missing). ``--smoke`` runs it at a tiny scale with few repeats and a
3 s load run, checking only the equal query counts and the absence of errors.
"""

import argparse
import contextlib
import hashlib
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import types
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(SCRIPTS)]

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
TEMPLATE_PREFIX = "benchmark_template_"
PAGE_BUDGET_MS = 100
DOCUMENT_BUDGETS_MS = {"annex3_xlsx": 1000, "annex1_pdf": 500}
ANNEX3_PDF_STATIONS = 100


class SetupError(Exception):
    """PostgreSQL or a tool the benchmark needs is missing (exit status 2)."""


# --- PostgreSQL: the server, the template and the throwaway databases ---------------------------


class Server:
    def __init__(self, url):
        parts = urlsplit(url)
        if parts.scheme not in ("postgres", "postgresql"):
            raise SetupError(f"--database-url must be a postgres:// URL, not {url!r}")
        self.parts = parts
        self.maintenance_db = parts.path.lstrip("/") or "postgres"

    def url(self, name):
        return urlunsplit(self.parts._replace(path=f"/{name}"))

    def connect(self):
        import psycopg

        try:
            return psycopg.connect(
                self.url(self.maintenance_db), autocommit=True, connect_timeout=5
            )
        except psycopg.OperationalError as error:
            raise SetupError(
                f"No PostgreSQL answers at {self.url(self.maintenance_db)} ({error}).\n"
                "The benchmark needs a PostgreSQL server: start one, or point --database-url "
                "(or BENCHMARK_DATABASE_URL) at one, e.g. postgres://postgres@127.0.0.1:5432."
            ) from error

    def version(self):
        with self.connect() as connection:
            return connection.execute("SHOW server_version").fetchone()[0]

    def databases(self, prefix):
        with self.connect() as connection:
            rows = connection.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", (prefix + "%",)
            ).fetchall()
        return [name for (name,) in rows]

    def create(self, name, template=None):
        with self.connect() as connection:
            connection.execute(
                f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
            )

    def drop(self, name):
        with self.connect() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def comment(self, name):
        """The migration files a template was made from (kept as the database's comment)."""
        with self.connect() as connection:
            row = connection.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                (name,),
            ).fetchone()
        with contextlib.suppress(TypeError, ValueError):
            return json.loads(row[0])
        return None

    def set_comment(self, name, text):
        with self.connect() as connection:
            literal = connection.execute("SELECT quote_literal(%s)", (text,)).fetchone()[0]
            connection.execute(f'COMMENT ON DATABASE "{name}" IS {literal}')

    def rename(self, old, new):
        with self.connect() as connection:
            connection.execute(f'ALTER DATABASE "{old}" RENAME TO "{new}"')


def migration_files():
    """``{path: sha256}`` of every migration file."""
    return {
        str(path.relative_to(ROOT)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(ROOT.glob("*/migrations/*.py"))
    }


def migrations_fingerprint(files):
    return hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:12]


def use_database(name):
    """Point Django's default connection at database ``name``; forget what was cached."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache
    from django.db import connections

    connection = connections["default"]
    connection.close()
    connection.settings_dict["NAME"] = name
    ContentType.objects.clear_cache()
    cache.clear()


def template_database(server, log):
    """The migrated template of this state of the migrations (made once, then reused)."""
    from django.core.management import call_command
    from django.db import connections

    files = migration_files()
    name = TEMPLATE_PREFIX + migrations_fingerprint(files)
    with server.connect() as lock:
        lock.execute("SELECT pg_advisory_lock(725001)")  # one run builds it, others wait
        if name in server.databases(name):
            return name
        base = None
        for old in server.databases(TEMPLATE_PREFIX):
            kept = server.comment(old)
            # A template of the same migrations and fewer (new ones added since): migrated on.
            if kept and all(files.get(path) == digest for path, digest in kept.items()):
                base = base or old
        building = f"{name}_building"
        server.drop(building)
        log(f"migrating a new template database {name} (once per state of the migrations)")
        server.create(building, template=base)
        use_database(building)
        call_command("migrate", verbosity=0, interactive=False)
        connections["default"].close()
        for old in server.databases(TEMPLATE_PREFIX):
            if old != building:
                server.drop(old)  # of older migrations
        server.rename(building, name)
        server.set_comment(name, json.dumps(files))
        return name


# --- Django in this process ---------------------------------------------------------------------


def setup_django(server, media_root):
    os.environ["DJANGO_SETTINGS_MODULE"] = "talentstation.settings_test"
    os.environ["MEDIA_ROOT"] = str(media_root)
    os.environ.pop("DEBUG", None)  # DEBUG off, as in production: no query log, no debug pages
    os.environ["DATABASE_URL"] = server.url(server.maintenance_db)  # see use_database()
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.ROOT_URLCONF = _benchmark_urlconf()


def _benchmark_urlconf():
    """The portal's URLconf plus the bare view (only here, never in the portal's)."""
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import include, path

    from talentstation import urls as portal

    template = engines["django"].from_string(
        "<!doctype html><html><head><title>{{ title }}</title></head>"
        "<body><p>{{ title }}</p></body></html>"
    )

    def bare(request):
        return HttpResponse(template.render({"title": "benchmark"}))

    module = types.ModuleType("benchmark_urls")
    module.urlpatterns = [path("__benchmark__/bare/", bare, name="benchmark_bare")]
    module.urlpatterns += [path("", include(portal.urlpatterns))]
    module.handler403 = portal.handler403
    sys.modules["benchmark_urls"] = module
    return "benchmark_urls"


# --- the pages ------------------------------------------------------------------------------------


def pages(world):
    """``(key, label, who, path)`` of every main page; ``who`` is a World attribute or None."""
    from django.urls import reverse

    directory = reverse("stations:directory")
    return [
        ("home", "front door", None, reverse("home")),
        ("directory", "public directory", None, directory),
        ("directory_search", "public directory search", None, f"{directory}?q=南屿"),
        (
            "station_public",
            "station page (public)",
            None,
            reverse("stations:directory_station", args=[world.station.pk]),
        ),
        (
            "station_staff",
            "station page (staff)",
            "staff",
            reverse("stations:staff_station", args=[world.station.pk]),
        ),
        (
            "publicity",
            "publicity page",
            None,
            reverse("publicity_detail", args=[world.publicity.pk]),
        ),
        (
            "application_status",
            "applicant status page",
            "applicant",
            reverse("stations:application_detail", args=[world.application.pk]),
        ),
        ("admin_applications", "admin: applications", "staff", "/admin/stations/application/"),
        ("admin_stations", "admin: stations", "staff", "/admin/stations/station/"),
        ("admin_activities", "admin: activities", "staff", "/admin/assessments/activity/"),
        ("workflow_board", "workflow board", "staff", reverse("stations:staff_todo")),
        (
            "cycle_board",
            "cycle board",
            "staff",
            reverse("assessments:cycle_board", args=[world.assessment.cycle_id]),
        ),
        ("compliance", "compliance view", "staff", reverse("assessments:compliance")),
        ("dashboard", "dashboard", "official", reverse("dashboard")),
        (
            "scoring_assessment",
            "scoring page (assessment)",
            "expert",
            reverse("assessments:assessment_score", args=[world.assessment.pk]),
        ),
        (
            "scoring_review",
            "scoring page (application review)",
            "reviewer",
            reverse("stations:expert_assignment", args=[world.review_assignment.pk]),
        ),
    ]


def clients(world):
    from django.test import Client

    made = {None: Client()}
    users = {
        "staff": world.staff,
        "official": world.official,
        "applicant": world.applicant,
        "expert": world.expert,
        "reviewer": world.review_assignment.scorer,
    }
    for who, user in users.items():
        made[who] = Client()
        made[who].force_login(user)
    return made


def get(client, path):
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}, not 200")
    return response


def query_counts(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    made = clients(world)
    counts = {}
    for key, _label, who, path in pages(world):
        get(made[who], path)  # warm: the session, the policy, the compiled templates
        with CaptureQueriesContext(connection) as captured:
            get(made[who], path)
        counts[key] = len(captured.captured_queries)
    return counts


def median_ms(func, repeats, warmups=1):
    for _ in range(warmups):
        func()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def page_times(world, repeats):
    made = clients(world)
    bare = median_ms(lambda: get(made[None], "/__benchmark__/bare/"), repeats * 2, warmups=3)
    times = {}
    for key, _label, who, path in pages(world):
        times[key] = median_ms(lambda c=made[who], p=path: get(c, p), repeats, warmups=2)
    return bare, times


# --- the documents --------------------------------------------------------------------------------


def document_times(world, repeats):
    from dataclasses import replace

    from assessments.documents import annex2_pdf
    from awards import annex3
    from stations.documents import annex1_pdf
    from stations.models import Application

    application = Application.objects.get(pk=world.application.pk)
    assessment = world.closed_assessment
    cycle = type(assessment.cycle).objects.get(pk=assessment.cycle_id)

    def annex3_xlsx():
        return annex3.annex3_xlsx(annex3.stations_annex3())

    def annex3_pdf():
        sheet = annex3.stations_annex3()
        return annex3.annex3_pdf(replace(sheet, rows=sheet.rows[:ANNEX3_PDF_STATIONS]))

    live = world.counts["live_stations"]
    shown = min(live, ANNEX3_PDF_STATIONS)
    documents = [
        ("annex1_pdf", "Annex 1 PDF (one application, warm)", lambda: annex1_pdf(application)),
        (
            "annex2_pdf",
            "Annex 2 PDF (one station)",
            lambda: annex2_pdf(cycle, [type(assessment).objects.get(pk=assessment.pk)]),
        ),
        ("annex3_xlsx", f"Annex 3 xlsx ({live} stations)", annex3_xlsx),
        ("annex3_pdf", f"Annex 3 PDF ({shown} stations)", annex3_pdf),
    ]
    results = []
    for key, label, func in documents:
        size = len(func())  # warm: fonts, templates; and it must render
        results.append(
            {
                "key": key,
                "label": label,
                "median_ms": round(median_ms(func, repeats, warmups=0), 1),
                "bytes": size,
                "budget_ms": DOCUMENT_BUDGETS_MS.get(key),
            }
        )
    return results


# --- the load run under gunicorn ------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(database_url, port, static_root, media_root):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "TALENTSTATION_TESTING", "DJANGO_SETTINGS_MODULE")
    }
    site = f"https://127.0.0.1:{port}"
    env.update(
        DJANGO_SETTINGS_MODULE="talentstation.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=site,
        CSRF_TRUSTED_ORIGINS=site,
        DATABASE_URL=database_url,
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(media_root),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


class Gunicorn:
    """The portal under gunicorn on loopback, production settings (behind "nginx": the
    requests say X-Forwarded-Proto: https, so SECURE_SSL_REDIRECT stays on)."""

    def __init__(self, env, port, workers, log_path):
        self.port, self.log_path = port, log_path
        self.log = open(log_path, "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "talentstation.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--timeout=60",
                "--graceful-timeout=5",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        all_headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
        all_headers.update(headers or {})
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        content = response.read()
        connection.close()
        return response, content

    def wait_ready(self, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            with contextlib.suppress(OSError):
                response, _ = self.request("GET", "/healthz")
                if response.status == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not start; see {self.log_path}:\n{self.tail()}")

    def tail(self):
        self.log.flush()
        return Path(self.log_path).read_text(errors="replace")[-3000:]

    def log_in(self, username, password):
        """The session cookie of a real login through the login form."""
        response, content = self.request("GET", "/accounts/login/")
        csrf_cookie = _cookie(response, "csrftoken")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if response.status != 200 or not csrf_cookie or not token:
            raise RuntimeError(f"login page: {response.status}\n{self.tail()}")
        origin = f"https://127.0.0.1:{self.port}"
        response, _ = self.request(
            "POST",
            "/accounts/login/",
            body=urlencode(
                {
                    "username": username,
                    "password": password,
                    "csrfmiddlewaretoken": token.group(1).decode(),
                }
            ),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf_cookie}",
                "Origin": origin,
                "Referer": f"{origin}/accounts/login/",
            },
        )
        session = _cookie(response, "sessionid")
        if response.status != 302 or not session:
            raise RuntimeError(f"logging in as {username} failed: {response.status}")
        return f"sessionid={session}"

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def _cookie(response, name):
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith(f"{name}="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return None


def static_fingerprint():
    """What collectstatic would collect: every found file's path, size and time."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in sorted(finder.list([]), key=lambda found: found[0]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:12]


def collected_static(env, log):
    """The static files collected for the production settings, kept between runs in the
    temporary directory as long as no static file changes."""
    root = Path(tempfile.gettempdir()) / f"benchmark-static-{static_fingerprint()}"
    if (root / "staticfiles.json").exists():
        return root
    log("collecting the static files for the production settings")
    building = Path(tempfile.mkdtemp(prefix="benchmark-static-building-"))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env={**env, "STATIC_ROOT": str(building)},
        check=True,
    )
    with contextlib.suppress(OSError):  # another run made it meanwhile: keep that one
        building.rename(root)
    shutil.rmtree(building, ignore_errors=True)
    return root


def load_run(world, database_url, media_root, *, duration, concurrency, workers, log):
    from benchmark_seed import PASSWORD
    from django.urls import reverse

    wrk = shutil.which("wrk")
    if not wrk:
        raise SetupError("wrk is missing: apt-get install wrk (scripts/bootstrap.sh does it).")
    work = Path(tempfile.mkdtemp(prefix="benchmark-load-"))
    port = free_port()
    env = production_env(database_url, port, work / "static", media_root)
    env["STATIC_ROOT"] = str(collected_static(env, log))
    log(f"starting gunicorn ({workers} workers)")
    server = Gunicorn(env, port, workers, work / "gunicorn.log")
    try:
        server.wait_ready()
        log("gunicorn is up; logging in")
        cookie = server.log_in(world.applicant.username, PASSWORD)
        private = reverse("stations:application_detail", args=[world.application.pk])
        response, _ = server.request("GET", private, headers={"Cookie": cookie})
        if response.status != 200:
            raise RuntimeError(f"the logged-in page answered {response.status}")
        public = [
            reverse("home"),
            reverse("stations:directory"),
            reverse("stations:directory") + "?q=%E5%8D%97%E5%B1%BF",
            reverse("stations:directory_station", args=[world.station.pk]),
            reverse("publicity_detail", args=[world.publicity.pk]),
            reverse("stations:call_list"),
        ]
        paths = [*public, f"@{private}", f"@{private}"]
        log(f"load run: wrk, {duration} s, {concurrency} connections, {workers} workers")
        threads = max(1, min(concurrency, os.cpu_count() or 1))
        result = subprocess.run(
            [
                wrk,
                f"-t{threads}",
                f"-c{concurrency}",
                f"-d{duration}s",
                "--timeout=10s",
                "-s",
                str(SCRIPTS / "benchmark_load.lua"),
                f"http://127.0.0.1:{port}",
            ],
            env={**os.environ, "BENCH_PATHS": " ".join(paths), "BENCH_COOKIE": cookie},
            capture_output=True,
            text=True,
            check=True,
        )
        line = next(
            (ln for ln in result.stdout.splitlines() if ln.startswith("BENCHMARK-RESULT ")), None
        )
        if line is None:
            raise RuntimeError(f"wrk printed no result:\n{result.stdout}\n{result.stderr}")
        log("load run done")
        stats = json.loads(line.removeprefix("BENCHMARK-RESULT "))
        stats["errors"] = stats["non_2xx"] + sum(stats["socket_errors"].values())
        stats.update(
            duration=duration,
            concurrency=concurrency,
            workers=workers,
            paths=paths,
            server="gunicorn (sync workers), production settings",
        )
        return stats
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


# --- the run --------------------------------------------------------------------------------------


def machine(server):
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import django

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "postgresql": server.version(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "load_average": os.getloadavg(),
    }


def options(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stations", type=int, default=None, help="full scale (default 1000)")
    parser.add_argument("--small", type=int, default=10, help="small scale (default 10)")
    parser.add_argument("--duration", type=int, default=None, help="load run seconds (20)")
    parser.add_argument("--concurrency", type=int, default=16, help="load connections (16)")
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (2 × cores + 1; smoke 2)"
    )
    parser.add_argument("--repeats", type=int, default=None, help="requests per page (20)")
    parser.add_argument("--json", default="benchmark-results.json", help="where to write")
    parser.add_argument("--no-load", action="store_true", help="skip the load run")
    parser.add_argument("--smoke", action="store_true", help="tiny scale, no time budgets")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCHMARK_DATABASE_URL", DEFAULT_SERVER),
        help="the PostgreSQL server (default postgres://postgres@127.0.0.1:5432)",
    )
    args = parser.parse_args(argv)
    smoke = args.smoke
    args.stations = args.stations or (20 if smoke else 1000)
    args.duration = args.duration or (3 if smoke else 20)
    args.repeats = args.repeats or (2 if smoke else 20)
    args.workers = args.workers or (2 if smoke else 2 * (os.cpu_count() or 1) + 1)
    args.document_repeats = 1 if smoke else 5
    if args.small >= args.stations:
        parser.error("--small must be below --stations")
    return args


def run(args, log):
    server = Server(args.database_url)
    server.version()  # fails clearly when no PostgreSQL answers
    media_root = Path(tempfile.mkdtemp(prefix="benchmark-media-"))
    setup_django(server, media_root)
    from benchmark_seed import seed

    results = {
        "machine": machine(server),
        "mode": "smoke" if args.smoke else "full",
        "scale": {"stations": args.stations, "small": args.small},
        "budgets": {
            "page_median_ms": PAGE_BUDGET_MS,
            "documents_ms": DOCUMENT_BUDGETS_MS,
            "load_errors": 0,
            "time_budgets_checked": not args.smoke,
        },
    }
    template = template_database(server, log)
    run_id = f"benchmark_{os.getpid()}_{secrets.token_hex(3)}"
    dropping = None
    small_db, large_db = f"{run_id}_small", f"{run_id}_large"
    try:
        for name in (small_db, large_db):
            server.create(name, template=template)
        use_database(small_db)
        log(f"seeding {args.small} stations")
        small = seed(args.small, media_root)
        small_counts = query_counts(small)
        use_database(large_db)
        # Dropped meanwhile: a DROP DATABASE waits for a checkpoint, seconds on a busy server.
        dropping = threading.Thread(target=server.drop, args=(small_db,))
        dropping.start()
        log(f"seeding {args.stations} stations")
        start = time.perf_counter()
        world = seed(args.stations, media_root)
        results["seed_seconds"] = round(time.perf_counter() - start, 1)
        results["district"] = world.counts
        large_counts = query_counts(world)
        log(f"timing the pages ({args.repeats} requests each)")
        bare, times = page_times(world, args.repeats)
        results["bare_view_ms"] = round(bare, 2)
        results["pages"] = [
            {
                "key": key,
                "label": label,
                "path": path,
                "queries_small": small_counts[key],
                "queries_large": large_counts[key],
                "queries_equal": small_counts[key] == large_counts[key],
                "median_ms": round(times[key], 1),
                "ratio_to_bare": round(times[key] / bare, 1),
                "budget_ms": PAGE_BUDGET_MS,
            }
            for key, label, _who, path in pages(world)
        ]
        log("timing the documents")
        results["documents"] = document_times(world, args.document_repeats)
        from django.db import connections

        connections["default"].close()
        results["load"] = None
        if not args.no_load:
            results["load"] = load_run(
                world,
                server.url(large_db),
                media_root,
                duration=args.duration,
                concurrency=args.concurrency,
                workers=args.workers,
                log=log,
            )
    finally:
        log("dropping the databases")
        with contextlib.suppress(Exception):
            from django.db import connections

            connections["default"].close()
        if dropping is not None:
            dropping.join()
        for name in (small_db, large_db):
            server.drop(name)  # the small one is gone already, unless the run failed early
        shutil.rmtree(media_root, ignore_errors=True)
    log("done")
    results["failures"] = failures(results, check_times=not args.smoke)
    results["ok"] = not results["failures"]
    return results


def failures(results, *, check_times):
    found = []
    for page in results["pages"]:
        if not page["queries_equal"]:
            found.append(
                f"{page['label']}: {page['queries_small']} queries at {results['scale']['small']}"
                f" stations, {page['queries_large']} at {results['scale']['stations']}"
            )
        if check_times and page["median_ms"] > page["budget_ms"]:
            found.append(f"{page['label']}: {page['median_ms']} ms > {page['budget_ms']} ms")
    for document in results["documents"]:
        budget = document["budget_ms"]
        if check_times and budget is not None and document["median_ms"] > budget:
            found.append(f"{document['label']}: {document['median_ms']} ms > {budget} ms")
    load = results["load"]
    if load is not None and load["errors"]:
        found.append(
            f"load run: {load['errors']} errors ({load['non_2xx']} not 2xx, "
            f"socket errors {load['socket_errors']})"
        )
    return found


def report(results):
    m = results["machine"]
    lines = [
        f"Machine: {m['nproc']} cores, {m['cpu']}, PostgreSQL {m['postgresql']}, "
        f"load average {' '.join(f'{x:.1f}' for x in m['load_average'])}",
        f"District: {results['district']}",
        f"Bare template view: {results['bare_view_ms']:.2f} ms",
        "",
        f"{'page':<36}{'queries':>16}{'median':>11}{'× bare':>9}",
        f"{'':<36}{'small / full':>16}",
    ]
    for page in results["pages"]:
        flag = "" if page["queries_equal"] else "  QUERIES GROW"
        if results["budgets"]["time_budgets_checked"] and page["median_ms"] > page["budget_ms"]:
            flag += "  OVER BUDGET"
        queries = f"{page['queries_small']} / {page['queries_large']}"
        lines.append(
            f"{page['label']:<36}{queries:>16}{page['median_ms']:>8.1f} ms"
            f"{page['ratio_to_bare']:>9.1f}{flag}"
        )
    lines += ["", f"{'document':<40}{'median':>12}{'budget':>12}"]
    for document in results["documents"]:
        budget = f"{document['budget_ms']} ms" if document["budget_ms"] else "—"
        lines.append(f"{document['label']:<40}{document['median_ms']:>9.1f} ms{budget:>12}")
    load = results["load"]
    if load:
        lines += [
            "",
            f"Load ({load['server']}, {load['workers']} workers, {load['concurrency']} "
            f"connections, {load['duration']} s): {load['requests_per_second']:.1f} requests/s, "
            f"p50 {load['p50_ms']:.1f} ms, p95 {load['p95_ms']:.1f} ms, "
            f"p99 {load['p99_ms']:.1f} ms, {load['errors']} errors of {load['requests']}",
        ]
    lines.append("")
    lines += [f"OVER BUDGET: {failure}" for failure in results["failures"]] or ["All budgets met."]
    return "\n".join(lines)


def main(argv=None):
    args = options(argv)

    started = time.monotonic()

    def log(message):
        elapsed = time.monotonic() - started
        print(f"[benchmark {elapsed:6.1f} s] {message}", file=sys.stderr, flush=True)

    try:
        results = run(args, log)
    except SetupError as error:
        print(f"benchmark: {error}", file=sys.stderr)
        return 2
    Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(report(results))
    print(f"\nResults written to {args.json}")
    return 0 if results["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
