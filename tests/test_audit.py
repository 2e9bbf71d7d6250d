"""Audit records (state changes, admin history, field history, access log) cannot be changed
or deleted through the admin — not by staff, not by a superuser — nor by the models' own
methods, and are kept: no purge command deletes them except purge_audit, and that one only
those older than AUDIT_RETENTION_DAYS (≥ 183)."""

import datetime
import io

import pytest
import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stations.models import HostUnit
from talentstation import audit
from talentstation.models import AccessLog, TransitionLog
from talentstation.models.audit import AuditRecordProtected
from talentstation.roles import Role

from . import factories


def refused():
    """The refusal, in a savepoint: the refused delete marks its transaction for rollback."""
    return _Refused()


class _Refused:
    def __enter__(self):
        self.raises = pytest.raises(AuditRecordProtected)
        self.raises.__enter__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()

    def __exit__(self, *exc):
        self.atomic.__exit__(*exc)
        return self.raises.__exit__(*exc)


LONG_AGO = timezone.now() - datetime.timedelta(days=400)


@pytest.fixture
def superuser(db):
    user = factories.UserFactory(role=Role.STAFF, is_superuser=True)
    return user


@pytest.fixture
def records(staff_user):
    """One record of each kind, and the objects they are about."""
    station = factories.live_station(staff=staff_user)
    log = TransitionLog.objects.for_object(station).get()
    entry = LogEntry.objects.log_actions(
        staff_user.pk, [station], CHANGE, change_message="改了名称", single_object=True
    )
    access = AccessLog.objects.create(
        user=staff_user, user_label="员工", kind=AccessLog.Kind.VIEW, label="某单位"
    )
    return {"transition": log, "entry": entry, "access": access, "station": station}


def admin_urls(record):
    opts = record._meta
    base = f"admin:{opts.app_label}_{opts.model_name}"
    return {
        "change": reverse(f"{base}_change", args=[record.pk]),
        "delete": reverse(f"{base}_delete", args=[record.pk]),
        "add": reverse(f"{base}_add"),
        "list": reverse(f"{base}_changelist"),
    }


def count_all(records):
    return (TransitionLog.objects.count(), LogEntry.objects.count(), AccessLog.objects.count())


@pytest.mark.parametrize("who", ["staff_user", "superuser"])
@pytest.mark.parametrize("kind", ["transition", "entry", "access"])
def test_admin_refuses_changing_and_deleting(client, records, request, who, kind):
    client.force_login(request.getfixturevalue(who))
    record = records[kind]
    before = count_all(records)
    urls = admin_urls(record)

    page = client.get(urls["change"])
    assert page.status_code == 200  # view only
    assert 'name="_save"' not in page.content.decode()
    assert client.post(urls["change"], {"reason": "改写", "object_repr": "x"}).status_code == 403
    assert client.get(urls["delete"]).status_code == 403
    assert client.post(urls["delete"], {"post": "yes"}).status_code == 403
    assert client.get(urls["add"]).status_code == 403

    changelist = client.get(urls["list"])
    assert changelist.status_code == 200
    actions = dict(changelist.context["action_form"].fields["action"].choices)
    assert "delete_selected" not in actions
    response = client.post(
        urls["list"], {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    assert count_all(records) == before
    type(record).objects.get(pk=record.pk)  # still there, unchanged


def test_field_history_cannot_be_reverted(client, superuser):
    unit = factories.HostUnitFactory(name="原名称有限公司")
    unit.name = "新名称有限公司"
    unit.save()
    first = unit.history.earliest()
    url = reverse("admin:stations_hostunit_simple_history", args=[unit.pk, first.history_id])
    client.force_login(superuser)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    data = {"name": "原名称有限公司", "credit_code": unit.credit_code}
    assert client.post(url, data).status_code == 403
    unit.refresh_from_db()
    assert unit.name == "新名称有限公司"
    assert unit.history.count() == 2


def test_models_refuse_changes_and_deletes(records):
    log, entry, access = records["transition"], records["entry"], records["access"]
    for record in (log, access):
        with refused():
            record.delete()
        with refused():
            type(record).objects.filter(pk=record.pk).delete()
        with refused():
            type(record).objects.filter(pk=record.pk).update(label="x")
        with refused():
            type(record)._base_manager.all().delete()
        with refused():
            record.save()
    with refused():
        entry.delete()
    with refused():
        LogEntry.objects.all().delete()
    entry.change_message = "改写"
    with refused():
        entry.save()
    historical = HostUnit.history.first()
    with refused():
        historical.delete()
    assert TransitionLog.objects.filter(pk=log.pk).exists()
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_a_user_with_admin_history_is_kept(client, superuser, records):
    """Django would delete a user's admin history with him: the admin refuses instead."""
    other = factories.UserFactory(role=Role.STAFF)
    LogEntry.objects.log_actions(other.pk, [records["station"]], CHANGE, single_object=True)
    client.force_login(superuser)
    url = reverse("admin:talentstation_user_delete", args=[other.pk])
    page = client.get(url)
    text = page.content.decode()
    assert "Cannot delete" in text or "无法删除" in text
    client.post(url, {"post": "yes"})
    assert type(other).objects.filter(pk=other.pk).exists()
    with refused():
        other.delete()


def test_simple_history_purge_commands_are_refused(records):
    factories.HostUnitFactory()
    before = HostUnit.history.count()
    with refused():
        call_command("clean_old_history", auto=True, days=0, stdout=io.StringIO())
    assert HostUnit.history.count() == before


@pytest.mark.postgres
def test_postgresql_refuses_it_even_from_sql(records):
    for table, pk in (
        ("talentstation_transitionlog", records["transition"].pk),
        ("talentstation_accesslog", records["access"].pk),
        ("django_admin_log", records["entry"].pk),
    ):
        for sql in (
            f"DELETE FROM {table} WHERE id = %s",  # noqa: S608 (our table names)
            f"UPDATE {table} SET id = id WHERE id = %s",  # noqa: S608
        ):
            refused = pytest.raises(DatabaseError, match="audit records")
            with refused, transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [pk])
    assert TransitionLog.objects.filter(pk=records["transition"].pk).exists()


# --- retention ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "ok"), [(None, True), (183, True), (3650, True), (182, False), (0, False)]
)
def test_retention_below_six_months_is_a_check_error(settings, days, ok):
    settings.AUDIT_RETENTION_DAYS = days
    errors = audit.check_retention()
    assert (errors == []) is ok
    if not ok:
        assert errors[0].id == "talentstation.E101"


@pytest.fixture
def old_and_young(staff_user):
    """Records of each kind from 400 days ago and from today."""
    made = {}
    for when in ("old", "young"):
        with time_machine.travel(LONG_AGO if when == "old" else timezone.now(), tick=False):
            station = factories.live_station(staff=staff_user)  # a state change, field history
            LogEntry.objects.log_actions(staff_user.pk, [station], CHANGE, single_object=True)
            AccessLog.objects.create(user=staff_user, kind=AccessLog.Kind.VIEW, label=when)
            made[when] = station
    return made


def audit_counts():
    return {model._meta.label: model._base_manager.count() for model, _f in audit.audit_models()}


def test_records_are_kept_forever_without_a_retention(settings, old_and_young):
    settings.AUDIT_RETENTION_DAYS = None
    before = audit_counts()
    out = io.StringIO()
    call_command("purge_audit", stdout=out)
    assert "kept forever" in out.getvalue()
    assert audit_counts() == before


def test_purge_audit_deletes_only_records_older_than_the_retention(settings, old_and_young):
    settings.AUDIT_RETENTION_DAYS = 365
    before = audit_counts()
    out = io.StringIO()
    call_command("purge_audit", dry_run=True, stdout=out)
    assert "would be deleted" in out.getvalue()
    assert audit_counts() == before

    call_command("purge_audit", stdout=io.StringIO())
    after = audit_counts()
    station_type = ContentType.objects.get_for_model(old_and_young["old"])
    assert not TransitionLog.objects.filter(
        object_id=old_and_young["old"].pk, content_type=station_type
    ).exists()
    assert TransitionLog.objects.filter(
        object_id=old_and_young["young"].pk, content_type=station_type
    ).exists()
    assert list(AccessLog.objects.values_list("label", flat=True)) == ["young"]
    assert after["talentstation.TransitionLog"] == before["talentstation.TransitionLog"] - 1
    assert after["admin.LogEntry"] == before["admin.LogEntry"] - 1
    assert 0 < after["stations.HistoricalStation"] < before["stations.HistoricalStation"]

    settings.AUDIT_RETENTION_DAYS = 30  # misconfigured: never purges younger than 183 days
    with pytest.raises(ValueError, match="183"):
        audit.purge()
    assert audit_counts() == after


@pytest.mark.parametrize(
    "command",
    ["purge_pending_uploads", "send_outbox", "send_reminders", "flag_overdue_rectifications"],
)
def test_other_commands_never_touch_audit_records(old_and_young, command):
    """The commands that delete things (kept uploads, rate-limit counters…) leave every audit
    record, however old, where it is."""
    before = audit_counts()
    with CaptureQueriesContext(connection) as queries:
        call_command(command, stdout=io.StringIO(), stderr=io.StringIO())
    assert audit_counts() == before
    tables = ("transitionlog", "django_admin_log", "accesslog", "historical")
    assert not [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("DELETE", "UPDATE"))
        and any(table in q["sql"] for table in tables)
    ]
