"""Two people doing the same at the same moment: one wins, the other gets a clear message.

The database constraints (unique credit code, unique e-mail case-insensitively, unique mobile)
decide; the loser sees the form's own message instead of an IntegrityError (500). The thread
tests need PostgreSQL (real concurrent transactions); the form-level tests run on both
databases, with the other registration committed between the check and the save.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from stations import services
from stations.forms import InviteMemberForm, RegistrationForm
from stations.models import HostUnit, UnitMember

from . import factories


def run_in_threads(count, func):
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(index):
        try:
            barrier.wait()
            results[index] = func(index)
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def registration_fields(**overrides):
    return {
        "unit_name": "福州并发科技有限公司",
        "credit_code": "91110108551385082Q",
        "contact_name": "王五",
        "mobile": "13912345678",
        "email": "wangwu@example.com",
        "password1": "Correct-horse-42",
        "password2": "Correct-horse-42",
        **overrides,
    }


def licence():
    return SimpleUploadedFile("licence.pdf", factories.TINY_PDF)


def service_arguments(**overrides):
    fields = registration_fields(**overrides)
    return {
        "unit_name": fields["unit_name"],
        "credit_code": fields["credit_code"],
        "business_licence": licence(),
        "contact_name": fields["contact_name"],
        "mobile": fields["mobile"],
        "email": fields["email"],
        "password": fields["password1"],
    }


# --- PostgreSQL: real concurrent transactions ----------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_registrations_at_once_make_one_unit():
    results = run_in_threads(2, lambda i: services.register_unit(**service_arguments()))
    assert HostUnit.objects.count() == 1 and get_user_model().objects.count() == 1
    won = [r for r in results if isinstance(r, tuple)]
    lost = [r for r in results if isinstance(r, ValidationError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert "已有单位注册" in " ".join(lost[0].message_dict["credit_code"])
    # the loser's copy of the licence is not left behind
    unit = HostUnit.objects.get()
    stored = list(_stored_licences(unit))
    assert stored == [unit.business_licence.name]


def _stored_licences(unit):
    storage = unit.business_licence.storage
    folder = unit.business_licence.name.rsplit("/", 1)[0]
    return [f"{folder}/{name}" for name in storage.listdir(folder)[1]]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_registrations_with_one_email_at_once_make_one_account():
    results = run_in_threads(
        2,
        lambda i: services.register_unit(
            **service_arguments(
                credit_code=factories.valid_code(i + 100),
                mobile=f"1391234567{i}",
                email="Same@Example.com" if i else "same@example.com",
            )
        ),
    )
    assert get_user_model().objects.count() == 1 and HostUnit.objects.count() == 1
    lost = [r for r in results if isinstance(r, ValidationError)]
    assert len(lost) == 1, results
    assert "该电子邮箱已注册账号" in " ".join(lost[0].message_dict["email"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_identical_registrations_posted_at_once_answer_one_unit_and_a_message():
    def post(index):
        client = Client()
        response = client.post(
            reverse("stations:register"), {**registration_fields(), "business_licence": licence()}
        )
        return response.status_code, response.content.decode()

    results = run_in_threads(3, post)
    assert HostUnit.objects.count() == 1 and get_user_model().objects.count() == 1
    codes = sorted(code for code, _body in results)
    assert codes == [200, 200, 302], results
    for code, body in results:
        if code == 200:
            assert "已有单位注册" in body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_invitations_of_one_email_at_once_make_one_user():
    unit = factories.HostUnitFactory()
    admin = factories.applicant_user(unit)

    def invite(index):
        return services.invite_member(
            unit, email="zhao@example.com", full_name=f"赵六{index}", by=admin
        )

    results = run_in_threads(2, invite)
    assert get_user_model().objects.filter(email="zhao@example.com").count() == 1
    assert UnitMember.objects.filter(unit=unit).count() == 2
    lost = [r for r in results if isinstance(r, ValidationError)]
    assert len(lost) == 1, results
    assert "该电子邮箱已注册账号" in " ".join(lost[0].message_dict["email"])


# --- both databases: the form tells what happened ------------------------------------------


@pytest.mark.django_db
def test_a_registration_that_lost_the_race_shows_the_message_on_the_form():
    form = RegistrationForm(registration_fields(), {"business_licence": licence()})
    assert form.is_valid()
    # meanwhile another request registers the same unit
    services.register_unit(**service_arguments(email="other@example.com", mobile="13700000000"))
    assert form.save() is None
    assert "已有单位注册" in form.errors["credit_code"][0]
    assert HostUnit.objects.count() == 1
    # the licence is kept for the next attempt, nothing typed is lost
    assert form.kept_files == {"business_licence": "licence.pdf"}
    assert form["unit_name"].value() == "福州并发科技有限公司"


@pytest.mark.django_db
def test_a_registration_whose_email_was_taken_meanwhile_is_told_so(client):
    form = RegistrationForm(registration_fields(), {"business_licence": licence()})
    assert form.is_valid()
    factories.UserFactory(username="someone", email="WangWu@example.com")
    assert form.save() is None
    assert "该电子邮箱已注册账号" in form.errors["email"][0]
    assert not HostUnit.objects.exists()


@pytest.mark.django_db
def test_the_registration_page_shows_the_form_again_when_the_save_loses(client, monkeypatch):
    """The view: the form's checks passed (the other request had not committed yet), the save
    lost; the page shows the form with the message, not a 500."""
    original = RegistrationForm.full_clean

    def full_clean_then_other_request_commits(form):
        original(form)
        if not HostUnit.objects.exists():
            services.register_unit(
                **service_arguments(email="other@example.com", mobile="13700000000")
            )

    monkeypatch.setattr(RegistrationForm, "full_clean", full_clean_then_other_request_commits)
    response = client.post(
        reverse("stations:register"), {**registration_fields(), "business_licence": licence()}
    )
    assert response.status_code == 200
    assert "已有单位注册" in response.context["form"].errors["credit_code"][0]
    assert HostUnit.objects.count() == 1


@pytest.mark.django_db
def test_an_invitation_that_lost_the_race_shows_the_message_on_the_form():
    unit = factories.HostUnitFactory()
    admin = factories.applicant_user(unit)
    form = InviteMemberForm({"full_name": "赵六", "email": "zhao@example.com", "mobile": ""})
    assert form.is_valid()
    services.invite_member(unit, email="Zhao@Example.com", full_name="赵六", by=admin)
    assert form.save(unit, by=admin) is None
    assert "该电子邮箱已注册账号" in form.errors["email"][0]
    assert get_user_model().objects.filter(email="zhao@example.com").count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_account_for_one_email_in_any_case():
    from django.db import IntegrityError, transaction

    factories.UserFactory(email="case@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        get_user_model().objects.bulk_create(
            [get_user_model()(username="other", email="CASE@example.com")]
        )
    factories.UserFactory(mobile="13811112222")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.UserFactory(mobile="13811112222")


# --- SQLite: concurrent writers wait instead of failing ------------------------------------

SQLITE_WRITER = """
import pathlib, sys, time
import django

django.setup()
from django.db import connection, transaction

folder = pathlib.Path(sys.argv[1])
# Connected (the portal's init_command puts the file in WAL mode) before the writes race, as
# an app server is connected before its requests write; the first switch to WAL needs a
# moment without writers.
connection.ensure_connection()
(folder / f"ready-{sys.argv[2]}").touch()
while not (folder / "go").exists():
    time.sleep(0.01)
for _ in range(int(sys.argv[3])):
    with transaction.atomic():  # read, then write: what saving a form does
        with connection.cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            (n,) = cursor.fetchone()
            time.sleep(0.002)
            cursor.execute("UPDATE counter SET n = %s", [n + 1])
"""


def test_concurrent_writers_on_a_sqlite_file_all_succeed(tmp_path):
    """Four processes with the portal's settings on one SQLite file, each making 25
    read-then-write transactions: none fails with "database is locked", none loses an update."""
    import os
    import sqlite3
    import subprocess
    import sys
    import time
    from pathlib import Path

    database = tmp_path / "db.sqlite3"
    with sqlite3.connect(database) as setup:
        setup.execute("CREATE TABLE counter (n integer)")
        setup.execute("INSERT INTO counter VALUES (0)")
    setup.close()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "talentstation.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "TALENTSTATION_TESTING": "1",
    }
    root = Path(__file__).resolve().parent.parent
    workers, rounds = 4, 25
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SQLITE_WRITER, str(tmp_path), str(i), str(rounds)],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(workers)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < workers and time.monotonic() < deadline:
        time.sleep(0.05)
    (tmp_path / "go").touch()
    outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in processes]
    failures = [err.strip().splitlines()[-1] for code, err in outcomes if code != 0]
    assert failures == []
    with sqlite3.connect(database) as check:
        assert check.execute("SELECT n FROM counter").fetchone() == (workers * rounds,)
        assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    check.close()
