"""The benchmark (scripts/benchmark.py) at a tiny scale: ``--smoke`` seeds 10 and 20 stations on
the PostgreSQL server the tests use, measures every page's queries at both sizes, renders the
documents, and runs the portal under gunicorn with production settings for a 3 s load run. It
checks the equal query counts and the absence of errors (not the time budgets, which are for
the full run). The first run on a machine also migrates the benchmark's template database."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def _server_url():
    """The server of the test database, as a postgres:// URL (the benchmark makes its own)."""
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or "5432"
    return f"postgres://{user}{password}@{host}:{port}/postgres"


def test_the_benchmark_smoke_run_meets_its_checks_and_writes_its_results(tmp_path):
    results_path = tmp_path / "results.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG")}
    start = time.monotonic()
    run = subprocess.run(
        [
            sys.executable,
            "scripts/benchmark.py",
            "--smoke",
            "--json",
            str(results_path),
            "--database-url",
            _server_url(),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    elapsed = time.monotonic() - start
    assert run.returncode == 0, run.stdout + run.stderr
    results = json.loads(results_path.read_text())

    assert results["mode"] == "smoke" and results["ok"] is True and results["failures"] == []
    assert results["scale"] == {"stations": 20, "small": 10}
    assert results["district"]["stations"] == 20
    assert results["district"]["activities"] == 50 * 20
    assert results["district"]["review_sheets"] == 3 * results["district"]["applications"]
    assert results["bare_view_ms"] > 0

    keys = {page["key"] for page in results["pages"]}
    assert {
        "directory",
        "directory_search",
        "station_public",
        "publicity",
        "application_status",
        "admin_applications",
        "admin_stations",
        "admin_activities",
        "workflow_board",
        "compliance",
        "dashboard",
        "scoring_assessment",
    } <= keys
    for page in results["pages"]:
        assert page["queries_small"] == page["queries_large"] > 0, page
        assert page["queries_equal"] is True
        assert page["median_ms"] > 0 and page["ratio_to_bare"] > 0
    documents = {document["key"]: document for document in results["documents"]}
    assert set(documents) == {"annex1_pdf", "annex2_pdf", "annex3_xlsx", "annex3_pdf"}
    assert all(
        document["bytes"] > 1000 and document["median_ms"] > 0 for document in documents.values()
    )

    load = results["load"]
    assert load["duration"] == 3 and load["requests"] > 0 and load["requests_per_second"] > 0
    assert load["errors"] == 0 and load["non_2xx"] == 0
    assert 0 < load["p50_ms"] <= load["p95_ms"] <= load["p99_ms"]
    assert any(path.startswith("@") for path in load["paths"])  # a logged-in page too

    assert "All budgets met." in run.stdout
    assert "Load (gunicorn" in run.stdout
    # Quick enough for CI once the template database and the collected static files exist
    # (a first run on a machine, or after a migration or static file changed, makes them).
    first_run = any(
        made in run.stderr for made in ("migrating a new template", "collecting the static")
    )
    assert elapsed < 60 or first_run, (elapsed, run.stderr)
