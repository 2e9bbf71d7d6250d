"""Online objections cannot be abused (issue 7 §4) and the form renders cheaply (§9)."""

import datetime
import html
import re

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.signals import template_rendered
from django.urls import reverse

from talentstation.forms_publicity import ObjectionForm
from talentstation.models import Objection, Publicity, PublicityItem

from . import factories
from .test_concurrency import run_in_threads
from .test_publicity import running  # noqa: F401 - a fixture

DURING = "2026-09-29 10:00 +0800"


def objection(item, **overrides):
    return {
        "item": item.pk,
        "name": "王某某",
        "organisation": "某公司",
        "contact": "13811112222",
        "reason": "场地面积与实际不符",
        **overrides,
    }


def post(client, publicity, data, ip="203.0.113.9"):
    with time_machine.travel(DURING):
        return client.post(reverse("publicity_detail", args=[publicity.pk]), data, REMOTE_ADDR=ip)


def publicity_with(entries, *, names=None):
    """A running publicity of ``entries`` entries (what they stand for does not matter here)."""
    publicity = Publicity.objects.create(
        purpose="new_stations",
        title="拟认定名单公示",
        basis="依据",
        contact="电话",
        start_date=datetime.date(2026, 9, 28),
        working_days=5,
        first_day=datetime.date(2026, 9, 28),
        last_day=datetime.date(2026, 10, 9),
    )
    Publicity.objects.filter(pk=publicity.pk).update(status=Publicity.Status.RUNNING)
    kind = ContentType.objects.get_for_model(Publicity)
    PublicityItem.objects.bulk_create(
        PublicityItem(
            publicity=publicity,
            content_type=kind,
            object_id=n,
            order=n,
            name=(names or {}).get(n, f"第{n}号人才驿站"),
        )
        for n in range(entries)
    )
    publicity.refresh_from_db()
    return publicity


# --- duplicates ---------------------------------------------------------------------------


def test_an_identical_objection_is_refused(client, running, settings):  # noqa: F811
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "objection": ["100/h"]}
    item = running.items.first()
    assert post(client, running, objection(item)).status_code == 302
    # the same, typed a little differently: spaces, full-width digits, punctuation, case
    again = objection(item, contact=" １３８ １１１１ ２２２２ ", reason="场地面积，与实际不符。 ")
    response = post(client, running, again, ip="198.51.100.1")
    assert response.status_code == 400
    assert "无需重复提交" in html.unescape(response.content.decode())
    assert Objection.objects.count() == 1
    e_mail = objection(item, contact="Wang@Example.com")
    assert post(client, running, e_mail).status_code == 302
    assert post(client, running, {**e_mail, "contact": "wang@example.COM"}).status_code == 400
    # another reason, or another entry, is another objection
    assert post(client, running, objection(item, reason="人员配备不实")).status_code == 302
    other = running.items.exclude(pk=item.pk).get()
    assert post(client, running, objection(other)).status_code == 302
    assert Objection.objects.count() == 4


def test_a_refused_duplicate_uses_no_quota(client, running, settings):  # noqa: F811
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "objection": ["2/h"]}
    item = running.items.first()
    assert post(client, running, objection(item)).status_code == 302
    for _attempt in range(3):
        assert post(client, running, objection(item)).status_code == 400
    assert post(client, running, objection(item, reason="另一条理由")).status_code == 302


def test_objections_recorded_by_staff_are_not_fingerprinted(running, staff_user):  # noqa: F811
    item = running.items.first()
    for _call in range(2):  # two calls about the same thing are both recorded
        Objection.objects.create(
            publicity=running,
            item=item,
            channel="phone",
            name="李某",
            contact="0591-1",
            reason="电话反映",
            recorded_by=staff_user,
        )
    assert Objection.objects.filter(fingerprint="").count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_objections_at_the_same_moment_make_one_record(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "objection": ["100/h"]}
    publicity = publicity_with(2)
    item = publicity.items.first()

    def send():
        with time_machine.travel(DURING):
            form = ObjectionForm(objection(item), publicity=publicity, client="c")
            if not form.is_valid():
                return form.errors.as_data()["__all__"][0].code
            saved = form.save()
            return "saved" if saved else form.errors.as_data()["__all__"][0].code

    results = run_in_threads(4, send)
    assert sorted(results) == ["duplicate", "duplicate", "duplicate", "saved"], results
    assert Objection.objects.count() == 1


# --- lengths --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "length"), [("reason", 2001), ("name", 101), ("organisation", 201), ("contact", 201)]
)
def test_every_field_has_a_maximum_length(client, running, field, length):  # noqa: F811
    response = post(client, running, objection(running.items.first(), **{field: "长" * length}))
    assert response.status_code == 400
    [error] = response.context["form"].errors[field]
    assert f"目前为 {length} 个" in error or "不超过" in error or str(length) in error, error
    assert not Objection.objects.exists()


def test_the_reason_field_says_its_maximum(client, running):  # noqa: F811
    with time_machine.travel(DURING):
        body = client.get(reverse("publicity_detail", args=[running.pk])).content.decode()
    assert 'maxlength="2000"' in body and "最多2000字。" in body


def test_the_evidence_is_kept_when_the_rest_has_errors(client, running):  # noqa: F811
    item = running.items.first()
    evidence = SimpleUploadedFile("证明.pdf", factories.TINY_PDF, content_type="application/pdf")
    response = post(client, running, {**objection(item, name=""), "evidence": evidence})
    form = response.context["form"]
    assert "name" in form.errors and "evidence" not in form.errors
    token = form.data["evidence_kept"]
    assert post(client, running, {**objection(item), "evidence_kept": token}).status_code == 302
    assert Objection.objects.get().evidence.read().startswith(b"%PDF")


# --- rendering ------------------------------------------------------------------------------


def rendered_templates(client, url):
    names = []

    def record(sender, template, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    try:
        with time_machine.travel(DURING):
            response = client.get(url)
    finally:
        template_rendered.disconnect(record)
    assert response.status_code == 200
    return response, names


@pytest.mark.django_db
def test_the_entry_select_renders_in_one_pass(client):
    counts = {}
    for entries in (5, 100):
        publicity = publicity_with(entries)
        response, names = rendered_templates(
            client, reverse("publicity_detail", args=[publicity.pk])
        )
        select = re.search(r'<select[^>]*name="item".*?</select>', response.content.decode())
        assert select[0].count("<option ") == entries
        counts[entries] = len(names)
    assert counts[100] == counts[5], counts  # no template per option
    assert counts[5] < 60, counts


@pytest.mark.django_db
@pytest.mark.parametrize("entries", [5, 100])
def test_the_publicity_page_queries_do_not_grow(client, entries, django_assert_max_num_queries):
    publicity = publicity_with(entries)
    url = reverse("publicity_detail", args=[publicity.pk])
    with time_machine.travel(DURING), django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200
    data = objection(publicity.items.last(), name="")
    with time_machine.travel(DURING), django_assert_max_num_queries(8):
        assert client.post(url, data).status_code == 400


@pytest.mark.django_db
def test_the_entry_select_is_escaped_labelled_and_keeps_the_choice(client):
    publicity = publicity_with(3, names={1: '<b>驿站</b> & "引号"'})
    items = list(publicity.items.order_by("order"))
    url = reverse("publicity_detail", args=[publicity.pk])
    with time_machine.travel(DURING):
        body = client.get(url).content.decode()
    assert "&lt;b&gt;驿站&lt;/b&gt; &amp; &quot;引号&quot;" in body
    assert "<b>驿站</b>" not in body
    assert re.search(r'<label\s+for="id_item"', body)
    tag = re.search(r'<select[^>]*name="item"[^>]*>', body)[0]
    assert 'id="id_item"' in tag and "form-select" in tag
    response = post(client, publicity, objection(items[2], reason=""), ip="203.0.113.1")
    body = response.content.decode()
    select = re.search(r'<select[^>]*name="item".*?</select>', body)[0]
    assert f'<option value="{items[2].pk}" selected>' in select
    assert select.count(" selected>") == 1
    assert 'aria-invalid="true"' in body or "is-invalid" in body
