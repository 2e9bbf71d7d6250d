# ruff: noqa: E501 (the table: one line per URL pattern)
"""The authorization matrix: every URL pattern of the portal × every role, expected by hand.

Roles (the columns of ``ROWS``, in this order)::

    anon  anonymous visitor
    A     applicant (unit administrator) of unit A, which owns every object below
    B     applicant of unit B
    E     expert assigned to unit A's application and to its station's assessment
    E-    expert assigned to nothing
    S     bureau staff
    O     official

Outcomes: ``200`` the page; ``302`` allowed, redirected to the page's own follow-up (not the
login); ``L`` sent to log in (302 to the login page); ``404`` may not see the object (the same
page as for an id that does not exist); ``403`` may see it, but not do this (told why);
``405`` a GET on a POST-only endpoint (its POST row is then tested too: an empty form, inside
a transaction that is rolled back). The objects of unit A are built once per module
(``tests/matrix_world.py``).

Every pattern of the URLconf (walked recursively: by route name, by route for unnamed ones)
must have a row; a row of a pattern that no longer exists fails too. To add a row: one line
``"namespace:name": ("objects for its arguments", "anon A B E E- S O"),`` with the names of
``matrix_world.build()``'s objects for the URL's arguments in their order (``""`` for none),
and ``post="…"`` for a POST-only one. Admin patterns (``/admin/…``) are one rule instead,
tested over the changelist and change page of every registered model: bureau staff only.
"""

from typing import NamedTuple

import pytest
from django.contrib import admin
from django.db import transaction
from django.db.models import Model
from django.test import Client, RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from . import matrix_world
from .conftest import seed_shipped_front_door, seed_shipped_score_sheets

ROLES = matrix_world.ROLES


class Row(NamedTuple):
    args: str  # the names of matrix_world's objects for the URL's arguments, in their order
    get: str  # the outcome of a GET per role: "anon A B E E- S O"
    post: str | None = None  # of an empty POST, for a POST-only pattern (GET: 405)


# fmt: off
ROWS = {
    # pattern: Row(URL arguments, GET "anon A B E E- S O"[, post="anon A B E E- S O"])
    "assessments:activity_add": Row("station", "L 200 404 404 404 403 403"),
    "assessments:activity_correct": Row("activity", "L 403 404 404 404 200 403"),
    "assessments:activity_detail": Row("activity", "L 200 404 404 404 200 200"),
    "assessments:activity_edit": Row("activity", "L 200 404 404 404 302 302"),
    "assessments:activity_file": Row("activity_file", "L 200 404 404 404 200 200"),
    "assessments:activity_file_delete": Row("activity_file_spare", "L 405 405 405 405 405 405", post="L 302 404 404 404 403 403"),
    "assessments:activity_import": Row("station", "L 200 404 404 404 403 403"),
    "assessments:activity_import_confirm": Row("station", "L 405 405 405 405 405 405", post="L 302 404 404 404 403 403"),
    "assessments:activity_import_template": Row("station", "L 200 404 404 404 403 403"),
    "assessments:assessment_annex2": Row("assessment", "L 403 404 404 404 200 200"),
    "assessments:assessment_assign": Row("assessment", "L 405 405 405 405 405 405", post="L 403 404 403 404 400 403"),
    "assessments:assessment_correct": Row("assessment", "L 405 405 405 405 405 405", post="L 403 404 403 404 400 403"),
    "assessments:assessment_declare": Row("assessment", "L 405 405 405 405 405 405", post="L 403 404 400 404 403 403"),
    "assessments:assessment_detail": Row("assessment", "L 200 404 200 404 200 200"),
    "assessments:assessment_score": Row("assessment", "L 403 404 200 404 403 403"),
    "assessments:assessment_sheets": Row("", "L 403 403 200 200 200 403"),
    "assessments:compliance": Row("", "L 403 403 403 403 200 200"),
    "assessments:cycle_annex2": Row("closed_cycle", "L 403 403 403 403 200 200"),
    "assessments:cycle_annex2_xlsx": Row("closed_cycle", "L 403 403 403 403 200 200"),
    "assessments:cycle_board": Row("cycle", "L 403 403 403 403 200 200"),
    "assessments:cycle_board_current": Row("", "L 403 403 403 403 302 302"),
    "assessments:cycle_detail": Row("cycle", "L 403 403 403 403 200 200"),
    "assessments:cycle_list": Row("", "L 403 403 403 403 200 200"),
    "assessments:cycle_refresh": Row("cycle", "L 405 405 405 405 405 405", post="L 403 403 403 403 400 403"),
    "assessments:cycle_results": Row("closed_cycle", "L 403 403 403 403 200 200"),
    "assessments:cycle_results_xlsx": Row("closed_cycle", "L 403 403 403 403 200 200"),
    "assessments:my_operations": Row("", "L 200 200 200 200 200 200"),
    "assessments:profile_document": Row("station rule", "L 200 404 404 404 200 200"),
    "assessments:profile_edit": Row("station", "L 200 404 404 404 403 403"),
    "assessments:queue": Row("", "L 403 403 403 403 200 200"),
    "assessments:queue_xlsx": Row("", "L 403 403 403 403 200 200"),
    "assessments:referral_add": Row("station", "L 200 404 404 404 403 403"),
    "assessments:referral_edit": Row("station referral", "L 200 404 404 404 403 403"),
    "assessments:referral_evidence": Row("station referral", "L 200 404 404 404 200 403"),
    "assessments:report_detail": Row("report", "L 200 404 404 404 200 200"),
    "assessments:report_document": Row("report", "L 200 404 404 404 200 200"),
    "assessments:report_file": Row("station year kind", "L 200 404 404 404 403 403"),
    "assessments:self_assessment_attachment": Row("assessment", "L 200 404 200 404 200 200"),
    "assessments:self_assessment_detail": Row("assessment", "L 200 404 200 404 200 200"),
    "assessments:self_assessment_edit": Row("assessment", "L 200 404 403 404 403 403"),
    "assessments:self_assessment_list": Row("", "L 200 200 200 200 200 200"),
    "assessments:service_add": Row("station", "L 200 404 404 404 403 403"),
    "assessments:service_correct": Row("service", "L 403 404 404 404 200 403"),
    "assessments:service_detail": Row("service", "L 200 404 404 404 200 200"),
    "assessments:service_edit": Row("service", "L 200 404 404 404 302 302"),
    "assessments:staff_referrals": Row("", "L 403 403 403 403 200 200"),
    "assessments:staff_reports": Row("", "L 403 403 403 403 200 200"),
    "assessments:station_operations": Row("station", "L 200 404 404 404 200 200"),
    "assessments:station_profile": Row("station", "L 200 404 404 404 200 200"),
    "assessments:station_referrals": Row("station", "L 200 404 404 404 200 200"),
    "assessments:station_reports": Row("station", "L 200 404 404 404 200 200"),
    "assessments:station_services": Row("station", "L 200 404 404 404 200 200"),
    "awards:annex3_applicants_pdf": Row("", "L 403 403 403 403 400 400"),
    "awards:annex3_applicants_xlsx": Row("", "L 403 403 403 403 400 400"),
    "awards:annex3_lists": Row("", "L 403 403 403 403 200 200"),
    "awards:annex3_stations_pdf": Row("", "L 403 403 403 403 200 200"),
    "awards:annex3_stations_xlsx": Row("", "L 403 403 403 403 200 200"),
    "awards:award_list": Row("", "L 403 403 403 403 200 200"),
    "awards:award_list_xlsx": Row("", "L 403 403 403 403 200 200"),
    "awards:award_pay": Row("award", "L 403 404 404 404 200 403"),
    "awards:award_voucher": Row("award", "L 200 404 404 404 200 403"),
    "awards:certificate": Row("entry", "L 200 404 404 404 200 200"),
    "awards:index": Row("", "L 403 403 403 403 200 200"),
    "awards:mine": Row("", "L 200 200 404 404 404 404"),
    "awards:nomination_add": Row("batch", "L 405 405 405 405 405 405", post="L 403 403 403 403 400 403"),
    "awards:nomination_annex3_pdf": Row("batch", "L 403 403 403 403 200 200"),
    "awards:nomination_annex3_xlsx": Row("batch", "L 403 403 403 403 200 200"),
    "awards:nomination_batch": Row("batch", "L 403 403 403 403 200 200"),
    "awards:nomination_batch_create": Row("", "L 403 403 403 403 200 403"),
    "awards:nomination_edit": Row("nomination", "L 403 403 403 403 200 403"),
    "awards:nomination_list": Row("", "L 403 403 403 403 200 200"),
    "awards:nomination_outcome": Row("nomination", "L 405 405 405 405 405 405", post="L 403 403 403 403 400 403"),
    "awards:nomination_remove": Row("nomination", "L 405 405 405 405 405 405", post="L 403 403 403 403 302 403"),
    "awards:ranking_approve": Row("ranking", "L 405 405 405 405 405 405", post="L 403 403 403 403 200 403"),
    "awards:ranking_compute": Row("closed_cycle", "L 405 405 405 405 405 405", post="L 403 403 403 403 302 403"),
    "awards:ranking_detail": Row("ranking", "L 403 403 403 403 200 200"),
    "awards:ranking_for_cycle": Row("closed_cycle", "L 403 403 403 403 302 302"),
    "awards:ranking_propose": Row("ranking", "L 405 405 405 405 405 405", post="L 403 403 403 403 200 403"),
    "awards:ranking_publicity": Row("ranking", "L 405 405 405 405 405 405", post="L 403 403 403 403 200 403"),
    "awards:ranking_recompute": Row("ranking", "L 405 405 405 405 405 405", post="L 403 403 403 403 302 403"),
    "awards:ranking_tie": Row("ranking entry", "L 403 403 403 403 404 403"),
    "awards:rectification_create": Row("", "L 403 403 403 403 200 403"),
    "awards:rectification_detail": Row("order", "L 200 404 404 404 200 200"),
    "awards:rectification_draft_cycle": Row("closed_cycle", "L 405 405 405 405 405 405", post="L 403 403 403 403 302 403"),
    "awards:rectification_evidence": Row("order", "L 200 404 404 404 200 200"),
    "awards:rectification_inspect": Row("order", "L 405 405 405 405 405 405", post="L 403 404 404 404 400 403"),
    "awards:rectification_issue": Row("order", "L 405 405 405 405 405 405", post="L 403 404 404 404 400 403"),
    "awards:rectification_list": Row("", "L 403 403 403 403 200 200"),
    "awards:rectification_list_xlsx": Row("", "L 403 403 403 403 200 200"),
    "awards:rectification_notice": Row("order", "L 200 404 404 404 200 200"),
    "awards:rectification_report": Row("order", "L 200 404 404 404 403 403"),
    "awards:rectification_revoke": Row("order", "L 405 405 405 405 405 405", post="L 403 404 404 404 400 403"),
    "awards:rectification_station_revoke": Row("station", "L 403 403 403 403 200 403"),
    "awards:results_notice": Row("ranking", "L 403 403 403 403 200 200"),
    "awards:usage_line_add": Row("usage_report", "L 200 404 404 404 403 403"),
    "awards:usage_line_delete": Row("usage_report usage_line", "L 405 405 405 405 405 405", post="L 302 404 404 404 403 403"),
    "awards:usage_line_receipt": Row("usage_report usage_line", "L 200 404 404 404 200 403"),
    "awards:usage_report": Row("usage_report", "L 200 404 404 404 200 200"),
    "awards:usage_report_attachment": Row("usage_report", "L 200 404 404 404 200 200"),
    "awards:usage_report_edit": Row("usage_report", "L 200 404 404 404 403 403"),
    "awards:usage_report_list": Row("", "L 403 403 403 403 200 200"),
    "awards:usage_report_submit": Row("usage_report", "L 405 405 405 405 405 405", post="L 302 404 404 404 403 403"),
    "dashboard": Row("", "L 403 403 403 403 200 200"),
    "dashboard_xlsx": Row("panel", "L 403 403 403 403 200 200"),
    "favicon.ico": Row("", "301 301 301 301 301 301 301"),
    "healthz": Row("", "200 200 200 200 200 200 200"),
    "home": Row("", "200 302 302 302 302 302 302"),
    "inbox": Row("", "L 200 200 200 200 200 200"),
    "inbox_mark_all_read": Row("", "405 405 405 405 405 405 405", post="L 302 302 302 302 302 302"),
    "inbox_open": Row("notification", "L 302 302 302 302 302 302"),
    "login": Row("", "200 302 302 302 302 302 302"),
    "logout": Row("", "405 405 405 405 405 405 405", post="302 302 302 302 302 302 302"),
    "objection_evidence": Row("objection", "L 403 403 403 403 200 403"),
    "password_change": Row("", "L 200 200 200 200 200 200"),
    "password_change_done": Row("", "L 200 200 200 200 200 200"),
    "password_reset": Row("", "200 200 200 200 200 200 200"),
    "password_reset_complete": Row("", "200 200 200 200 200 200 200"),
    "password_reset_confirm": Row("uidb64 token", "302 302 302 302 302 302 302"),
    "password_reset_done": Row("", "200 200 200 200 200 200 200"),
    "policy_annex": Row("annex", "200 200 200 200 200 200 200"),
    "policy_document": Row("policy", "200 200 200 200 200 200 200"),
    "policy_text": Row("", "200 200 200 200 200 200 200"),
    "publicity_detail": Row("publicity", "200 200 200 200 200 200 200"),
    "publicity_list": Row("", "200 200 200 200 200 200 200"),
    "publicity_notice_pdf": Row("publicity", "200 200 200 200 200 200 200"),
    "run_transition": Row("model_label application transition", "L 405 405 405 405 405 405", post="L 302 404 302 404 302 302"),
    "service_guide": Row("", "200 200 200 200 200 200 200"),
    "session_keep_alive": Row("", "405 405 405 405 405 405 405", post="200 200 200 200 200 200 200"),
    "session_restore": Row("", "L 302 302 302 302 302 302"),
    "session_status": Row("", "200 200 200 200 200 200 200"),
    "set_language": Row("", "302 302 302 302 302 302 302"),
    "stations:application_detail": Row("application", "L 200 404 200 404 200 200"),
    "stations:application_edit": Row("application", "L 302 404 302 404 302 302"),
    "stations:application_pdf": Row("application", "L 200 404 200 404 200 200"),
    "stations:application_start": Row("call", "L 405 405 405 405 405 405", post="L 302 302 403 403 403 403"),
    "stations:attachment_delete": Row("application attachment_spare", "L 405 405 405 405 405 405", post="L 403 404 403 404 403 403"),
    "stations:attachment_download": Row("application attachment", "L 200 404 200 404 200 200"),
    "stations:attachment_upload": Row("application", "L 405 405 405 405 405 405", post="L 403 404 403 404 403 403"),
    "stations:call_detail": Row("call", "200 200 200 200 200 200 200"),
    "stations:call_document": Row("call call_document", "200 200 200 200 200 200 200"),
    "stations:call_list": Row("", "200 200 200 200 200 200 200"),
    "stations:certificate": Row("station", "L 200 404 404 404 200 200"),
    "stations:change_member": Row("unit member", "L 405 405 405 405 405 405", post="L 302 404 404 404 302 403"),
    "stations:directory": Row("", "200 200 200 200 200 200 200"),
    "stations:directory_station": Row("station", "200 200 200 200 200 200 200"),
    "stations:expert_affiliation_remove": Row("affiliation", "L 405 405 405 405 405 405", post="L 403 403 302 404 403 403"),
    "stations:expert_affiliations": Row("", "L 403 403 200 200 403 403"),
    "stations:expert_assignment": Row("assignment", "L 403 403 200 404 403 403"),
    "stations:expert_assignments": Row("", "L 403 403 200 200 403 403"),
    "stations:expert_declare": Row("assignment", "L 405 405 405 405 405 405", post="L 403 403 302 404 403 403"),
    "stations:expert_score": Row("assignment", "L 405 405 405 405 405 405", post="L 403 403 302 404 403 403"),
    "stations:expert_visit": Row("assignment", "L 405 405 405 405 405 405", post="L 403 403 400 404 403 403"),
    "stations:invite": Row("unit", "L 405 405 405 405 405 405", post="L 400 404 404 404 400 403"),
    "stations:licence": Row("unit", "L 200 404 404 404 200 403"),
    "stations:meeting_minutes": Row("meeting", "L 403 403 403 403 200 403"),
    "stations:my_unit": Row("", "L 302 302 302 302 302 302"),
    "stations:register": Row("", "200 302 302 302 302 302 302"),
    "stations:staff_application": Row("application", "L 403 403 403 403 200 200"),
    "stations:staff_applications": Row("", "L 403 403 403 403 200 200"),
    "stations:staff_applications_xlsx": Row("", "L 403 403 403 403 200 200"),
    "stations:staff_assign_expert": Row("application", "L 405 405 405 405 405 405", post="L 403 403 403 403 400 403"),
    "stations:staff_record_decision": Row("application", "L 405 405 405 405 405 405", post="L 403 403 403 403 400 403"),
    "stations:staff_station": Row("station", "L 404 404 404 404 200 200"),
    "stations:staff_stations": Row("", "L 403 403 403 403 200 200"),
    "stations:staff_stations_xlsx": Row("", "L 403 403 403 403 200 200"),
    "stations:staff_todo": Row("", "L 403 403 403 403 200 403"),
    "stations:stamped_scan_upload": Row("application", "L 405 405 405 405 405 405", post="L 403 404 403 404 403 403"),
    "stations:station_detail": Row("station", "L 200 404 404 404 200 200"),
    "stations:unit_detail": Row("unit", "L 200 404 404 404 200 200"),
    "stations:verify_plaque": Row("plaque", "200 200 200 200 200 200 200"),
    # Two-factor login (no user of the matrix has an authenticator app, and none is required).
    "two_factor": Row("", "L 200 200 200 200 200 200"),
    "two_factor_cancel": Row("", "405 405 405 405 405 405 405", post="L L L L L L L"),
    "two_factor_disable": Row("", "L 302 302 302 302 302 302"),
    "two_factor_recovery_codes": Row("", "L 302 302 302 302 302 302"),
    "two_factor_setup": Row("", "L 200 200 200 200 200 200"),
    "two_factor_verify": Row("", "L 302 302 302 302 302 302"),
    "visit_photo": Row("photo", "L 404 404 200 404 200 404"),
    "workflow_help": Row("", "L 403 403 403 403 200 200"),
}
# fmt: on


def row(pattern):
    spec = ROWS[pattern]
    return spec.args.split(), spec.get.split(), spec.post.split() if spec.post else None


# --- the URLconf ------------------------------------------------------------------------------


def walk(resolver=None, prefix="", namespace=""):
    """(key, route, pattern) of every pattern below ``resolver``."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                key = f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                key = route
            yield key, route, pattern


def portal_patterns():
    """The patterns outside the admin, by key (a name shadowed by an earlier one counts once:
    ``reverse`` reaches the first)."""
    found = {}
    for key, route, pattern in walk():
        if not route.startswith("admin/"):
            found.setdefault(key, (route, pattern))
    return found


def test_every_url_pattern_has_a_row():
    walked = set(portal_patterns())
    missing = sorted(walked - set(ROWS))
    stale = sorted(set(ROWS) - walked)
    assert not missing, f"URL patterns without a row in ROWS: {', '.join(missing)}"
    assert not stale, f"rows of URL patterns that no longer exist: {', '.join(stale)}"


def test_every_row_is_complete():
    for pattern in ROWS:
        args, get, post = row(pattern)
        assert len(get) == len(ROLES), pattern
        assert post is None or len(post) == len(ROLES), pattern
        assert (post is not None) == ("405" in get), f"{pattern}: a 405 row needs post="


# --- the world --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media), "base_url": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with (
        override_settings(STORAGES=storages, MEDIA_ROOT=media),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        seed_shipped_score_sheets()
        seed_shipped_front_door()
        yield matrix_world.build()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _media_root():
    """The module's media root (``world``) instead of one per test."""


def url_of(pattern, world, role):
    route, urlpattern = portal_patterns()[pattern]
    args, _get, _post = row(pattern)
    values = []
    for name in args:
        value = world[name]
        if isinstance(value, dict):  # one per role: the user's own
            value = value[role] if role in value else value["staff"]
        values.append(value.pk if isinstance(value, Model) else value)
    names = list(urlpattern.pattern.converters)
    assert len(names) == len(values), f"{pattern}: arguments {names}, row gives {args}"
    if not urlpattern.name:
        return "/" + route
    return reverse(pattern, kwargs=dict(zip(names, values, strict=True)))


def outcome(response):
    if response.status_code == 302:
        login = reverse("login")
        return "L" if response["Location"].split("?")[0] == login else "302"
    return str(response.status_code)


def request_as(world, role, method, url):
    client = Client(raise_request_exception=True)
    if world["users"][role] is not None:
        client.force_login(world["users"][role])
    with transaction.atomic():
        response = getattr(client, method)(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return outcome(response)


@pytest.mark.parametrize("pattern", sorted(ROWS))
def test_matrix(world, db, pattern):
    _args, get, post = row(pattern)
    observed = {}
    expected = {}
    for method, codes in (("get", get), ("post", post)):
        if codes is None:
            continue
        for role, code in zip(ROLES, codes, strict=True):
            expected[(method, role)] = code
            observed[(method, role)] = request_as(world, role, method, url_of(pattern, world, role))
    wrong = {
        key: (expected[key], observed[key]) for key in expected if expected[key] != observed[key]
    }
    assert not wrong, f"{pattern}: (method, role): (expected, observed) {wrong}"


def test_a_notification_opens_only_for_its_recipient(world, db):
    """Each role's row opens the user's own notification; another user's is not found."""
    staff_notice = reverse("inbox_open", args=[world["notification"]["staff"].pk])
    for role in ROLES:
        if role not in ("anonymous", "staff"):
            assert request_as(world, role, "get", staff_notice) == "404", role


# --- the admin: one rule ----------------------------------------------------------------------


def admin_pages(world):
    """The changelist of every registered model and the change page of one of its objects."""
    request = RequestFactory().get("/admin/")
    request.user = world["users"]["staff"]
    first = {
        model: admin_.get_queryset(request).first()
        for model, admin_ in admin.site._registry.items()
    }
    missing = [model._meta.label for model, obj in first.items() if obj is None]
    assert not missing, f"matrix_world.build() makes no object (in admin) of {', '.join(missing)}"
    for model, obj in first.items():
        info = model._meta.app_label, model._meta.model_name
        yield reverse("admin:{}_{}_changelist".format(*info))
        yield reverse("admin:{}_{}_change".format(*info), args=[obj.pk])


def test_admin_is_for_bureau_staff_only(world, db):
    pages = [reverse("admin:index"), *admin_pages(world)]
    login = reverse("admin:login")
    for role in ROLES:
        client = Client(raise_request_exception=True)
        if world["users"][role] is not None:
            client.force_login(world["users"][role])
        for url in pages:
            response = client.get(url)
            if role == "staff":
                assert response.status_code == 200, (url, response.status_code)
            else:
                assert response.status_code == 302, (role, url, response.status_code)
                assert response["Location"].startswith(login), (role, url)
