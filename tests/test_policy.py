from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stations.models import Call
from talentstation.models import PolicyVersion

from . import factories


@pytest.mark.django_db
def test_first_version_holds_the_2024_rules():
    policy = PolicyVersion.current()
    assert policy.version == 1
    assert policy.publicity_working_days == 5
    assert policy.pass_mark == Decimal("60")
    assert policy.min_activities_per_year == 4
    assert policy.min_person_times_per_year == 50
    assert policy.excellent_count == 3
    assert policy.award_amounts == [Decimal("50000"), Decimal("30000"), Decimal("20000")]
    assert policy.upload_max_mb == 10
    assert policy.stamped_scan_required is True


@pytest.mark.django_db
def test_a_saved_version_cannot_be_changed_or_deleted():
    policy = PolicyVersion.current()
    policy.pass_mark = Decimal("70")
    with pytest.raises(ValidationError):
        policy.save()
    with pytest.raises(ValidationError):
        policy.delete()
    assert PolicyVersion.objects.get().pass_mark == Decimal("60")


@pytest.mark.django_db
def test_new_version_numbers_follow_and_current_is_newest():
    first = PolicyVersion.current()
    second = PolicyVersion.objects.create(**{**first.rule_values(), "pass_mark": Decimal("65")})
    assert second.version == 2
    assert PolicyVersion.current() == second


@pytest.mark.django_db
def test_a_call_keeps_the_version_it_pinned():
    call = factories.CallFactory()
    first = call.policy_version
    PolicyVersion.objects.create(**{**first.rule_values(), "publicity_working_days": 7})
    call.refresh_from_db()
    assert call.policy_version == first
    assert call.policy_version.publicity_working_days == 5
    assert factories.CallFactory(year=2027).policy_version.publicity_working_days == 7


@pytest.mark.django_db
def test_award_amounts_must_not_increase_with_rank():
    values = {
        **PolicyVersion.current().rule_values(),
        "awards": [{"rank": 1, "amount": "50000"}, {"rank": 2, "amount": "60000"}],
    }
    with pytest.raises(ValidationError):
        PolicyVersion(**values).full_clean()


@pytest.mark.django_db
def test_staff_edit_in_admin_creates_a_new_version(client, staff_user):
    client.force_login(staff_user)
    add = reverse("admin:talentstation_policyversion_add")
    response = client.get(add)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.initial["publicity_working_days"] == 5  # prefilled from the newest version
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        title="榕高新区人社规〔2026〕1号",
        effective_from="2026-07-01",
        note="延长公示期",
        publicity_working_days=7,
        stamped_scan_required="on",
        awards=form["awards"].value(),  # as the form shows it: one "rank = amount" a line
        reminder_lead_days=form["reminder_lead_days"].value(),  # one "kind = days" a line
    )
    assert data["awards"] == "1 = 50000.00\n2 = 30000.00\n3 = 20000.00"
    response = client.post(add, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    newest = PolicyVersion.current()
    assert (newest.version, newest.publicity_working_days) == (2, 7)
    assert newest.created_by == staff_user
    # the old version is still there and read-only in admin
    old = PolicyVersion.objects.get(version=1)
    change = reverse("admin:talentstation_policyversion_change", args=[old.pk])
    page = client.get(change)
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert Call.objects.count() == 0


@pytest.mark.django_db
def test_awards_are_a_list_by_rank_a_later_version_may_change():
    first = PolicyVersion.current()
    assert first.award_for(1) == Decimal("50000") and first.award_for(4) is None
    values = {**first.rule_values(), "awards": [{"rank": 1, "amount": "80000"}]}
    second = PolicyVersion(**values)
    second.full_clean()
    second.save()
    assert PolicyVersion.current().award_amounts == [Decimal("80000")]
    assert first.award_amounts == [Decimal("50000"), Decimal("30000"), Decimal("20000")]


@pytest.mark.parametrize(
    "text",
    ["1 = 50000\n3 = 20000", "1 = 0", "第一名 = 5万", "2 = 100\n1 = 50"],
)
@pytest.mark.django_db
def test_a_bad_award_list_is_refused_with_a_message(text):
    from talentstation.models.fields import AwardListFormField

    field = PolicyVersion._meta.get_field("awards").formfield()
    assert isinstance(field, AwardListFormField)
    with pytest.raises(ValidationError):
        field.clean(text)


def test_award_lines_accept_chinese_punctuation():
    from talentstation.models.fields import parse_awards

    assert parse_awards("第1名：50,000元\n2＝30000") == [
        {"rank": 1, "amount": "50000.00"},
        {"rank": 2, "amount": "30000.00"},
    ]
