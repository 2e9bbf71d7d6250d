"""The generic score sheet (talentstation): versioned templates, filled sheets, aggregates."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from talentstation import scoring
from talentstation.forms_scoring import ScoreSheetForm
from talentstation.models import TransitionLog
from talentstation.models.scoring import (
    ScoreEntry,
    ScoreItem,
    ScoreSheet,
    ScoreSheetTemplate,
    ScoreTier,
)
from talentstation.roles import Role
from talentstation.rules import Refused
from talentstation.workflow import perform

from . import factories

REVIEW = ScoreSheetTemplate.Purpose.APPLICATION_REVIEW
ASSESSMENT = ScoreSheetTemplate.Purpose.STATION_ASSESSMENT


def make_template(items, purpose=REVIEW, name="测试评分表"):
    """A draft template; ``items`` are (title, weight, tiers or max points) triples."""
    template = ScoreSheetTemplate.objects.create(name=name, purpose=purpose)
    for order, (title, weight, spec) in enumerate(items, start=1):
        if isinstance(spec, list):
            item = ScoreItem.objects.create(
                template=template,
                order=order,
                title=title,
                description=f"{title}的条件",
                weight=Decimal(weight),
            )
            for tier_order, points in enumerate(spec, start=1):
                ScoreTier.objects.create(
                    item=item,
                    order=tier_order,
                    label=f"{title}第{tier_order}档",
                    points=Decimal(points),
                )
        else:
            ScoreItem.objects.create(
                template=template,
                order=order,
                title=title,
                description=f"{title}的条件",
                kind=ScoreItem.Kind.RANGE,
                weight=Decimal(weight),
                max_points=Decimal(spec),
            )
    return template


def active_template(staff, items, purpose=REVIEW):
    template = make_template(items, purpose)
    perform(template, "activate", by=staff)
    template.refresh_from_db()
    return template


MIXED = [
    ("场地", "2", [10, 5, 0]),  # best 10 × 2 = 20
    ("活动", "1", "30"),  # range 0..30
    ("服务", "1", [50, 25, 0]),  # best 50
]


def item(template, title):
    return template.items.get(title=title)


def tier(template, title, points):
    return ScoreTier.objects.get(item__template=template, item__title=title, points=points)


@pytest.fixture
def expert():
    return factories.UserFactory(role=Role.EXPERT)


@pytest.fixture
def application(db):
    return factories.ApplicationFactory()


@pytest.mark.django_db
def test_total_is_computed_from_tiers_ranges_and_weights(staff_user, expert, application):
    template = active_template(staff_user, MIXED)
    assert template.max_total() == Decimal("100")
    sheet = scoring.sheet_for(template, expert, application)
    assert sheet.status == ScoreSheet.Status.DRAFT and sheet.total == 0
    assert scoring.sheet_for(template, expert, application) == sheet  # get, not a second one

    scoring.save_entries(
        sheet,
        {
            item(template, "场地"): {"tier": tier(template, "场地", 5)},
            item(template, "活动").pk: {"points": "12.5", "comment": "活动记录较少"},
            f"item_{item(template, '服务').pk}": {"tier": tier(template, "服务", 50).pk},
        },
    )
    sheet.refresh_from_db()
    assert sheet.total == Decimal("72.50")  # 5 × 2 + 12.5 + 50
    entries = {e.item.title: e for e in sheet.entries.all()}
    assert entries["场地"].value() == Decimal("10")
    assert entries["活动"].comment == "活动记录较少"

    # A total in the input is no item: refused, nothing saved.
    with pytest.raises(ValidationError):
        scoring.save_entries(sheet, {"total": {"points": "100"}})
    # Assigning the total directly does not stick either: saving recomputes it.
    sheet.total = Decimal("99")
    sheet.save()
    sheet.refresh_from_db()
    assert sheet.total == Decimal("72.50")
    # Nor through the form: there is no total field, a posted one is ignored.
    data = {
        f"item_{item(template, '场地').pk}": str(tier(template, "场地", 10).pk),
        f"item_{item(template, '活动').pk}": "20",
        f"item_{item(template, '服务').pk}": str(tier(template, "服务", 50).pk),
        "total": "100",
    }
    form = ScoreSheetForm(sheet, data)
    assert form.is_valid(), form.errors
    assert form.save(by=expert) is not None
    sheet.refresh_from_db()
    assert sheet.total == Decimal("90.00")  # 10 × 2 + 20 + 50


@pytest.mark.django_db
def test_a_range_entry_outside_zero_to_max_is_refused(staff_user, expert, application):
    template = active_template(staff_user, MIXED)
    sheet = scoring.sheet_for(template, expert, application)
    activity = item(template, "活动")
    for points in ("30.01", "-1", "abc"):
        with pytest.raises(ValidationError) as refused:
            scoring.save_entries(sheet, {activity: {"points": points}})
        assert f"item_{activity.pk}" in refused.value.message_dict
    with pytest.raises(ValidationError):
        ScoreEntry(sheet=sheet, item=activity, points=Decimal("31")).save()
    # A tier of another item is refused too.
    with pytest.raises(ValidationError):
        scoring.save_entries(sheet, {item(template, "场地"): {"tier": tier(template, "服务", 50)}})
    assert not sheet.entries.exists()

    form = ScoreSheetForm(sheet, {f"item_{activity.pk}": "31"})
    assert not form.is_valid()
    assert f"item_{activity.pk}" in form.errors
    scoring.save_entries(sheet, {activity: {"points": "30"}})
    sheet.refresh_from_db()
    assert sheet.total == Decimal("30.00")


@pytest.mark.django_db
def test_activation_needs_a_maximum_of_100_and_retires_the_old_version(staff_user, expert):
    seeded = ScoreSheetTemplate.active_for(ASSESSMENT)
    template = make_template(
        [("场地配备", "1", [20, 0]), ("人员配备", "1", [70, 35, 0])], purpose=ASSESSMENT
    )
    assert template.version == seeded.version + 1
    assert template.max_total() == Decimal("90")
    with pytest.raises(Refused, match="90"):
        perform(template, "activate", by=staff_user)
    ScoreItem.objects.create(
        template=template,
        order=3,
        title="人才服务",
        kind=ScoreItem.Kind.RANGE,
        max_points=Decimal("5"),
        weight=Decimal("2"),
    )
    with pytest.raises(Refused):  # only bureau staff activate
        perform(template, "activate", by=expert)

    perform(template, "activate", by=staff_user)
    template.refresh_from_db()
    seeded.refresh_from_db()
    assert template.status == ScoreSheetTemplate.Status.ACTIVE
    assert template.activated_at is not None
    assert seeded.status == ScoreSheetTemplate.Status.RETIRED
    assert ScoreSheetTemplate.active_for(ASSESSMENT) == template
    retire = TransitionLog.objects.for_object(seeded).get()
    assert (retire.transition, retire.actor) == ("retire", staff_user)
    # An empty sheet cannot be activated either.
    empty = ScoreSheetTemplate.objects.create(name="空表", purpose=ASSESSMENT)
    with pytest.raises(Refused):
        perform(empty, "activate", by=staff_user)


@pytest.mark.django_db
def test_an_active_template_is_not_edited_but_cloned_into_a_new_draft(staff_user):
    active = ScoreSheetTemplate.active_for(ASSESSMENT)
    first = active.items.first()
    original_title = first.title
    first.title = "改名"
    with pytest.raises(ValidationError):
        first.save()
    with pytest.raises(ValidationError):
        ScoreTier.objects.create(item=first, order=9, label="新档", points=Decimal("5"))
    with pytest.raises(ValidationError):
        first.tiers.first().delete()
    active.name = "改名"
    with pytest.raises(ValidationError):
        active.save()
    with pytest.raises(ValidationError):
        ScoreSheetTemplate.objects.get(pk=active.pk).delete()

    draft = active.new_version(staff_user)
    assert (draft.status, draft.version, draft.based_on, draft.created_by) == (
        ScoreSheetTemplate.Status.DRAFT,
        active.version + 1,
        active,
        staff_user,
    )

    def shape(template):
        return [
            (
                i.order,
                i.title,
                i.description,
                i.kind,
                i.weight,
                i.max_points,
                [(t.order, t.label, t.points) for t in i.tiers.all()],
            )
            for i in template.items.all()
        ]

    assert shape(draft) == shape(active)
    assert not set(draft.items.values_list("pk", flat=True)) & set(
        active.items.values_list("pk", flat=True)
    )
    # The draft is edited freely; the active version is untouched.
    cloned = draft.items.get(title=original_title)
    cloned.title = "场地与宣传"
    cloned.save()
    tier_ = cloned.tiers.first()
    tier_.points = Decimal("15")
    tier_.save()
    active.refresh_from_db()
    assert ScoreItem.objects.get(pk=first.pk).title == original_title
    assert active.max_total() == Decimal("100")


@pytest.mark.django_db
def test_a_submitted_sheet_cannot_change(staff_user, expert, application):
    template = active_template(staff_user, MIXED)
    sheet = scoring.sheet_for(template, expert, application)
    scoring.save_entries(sheet, {item(template, "场地"): {"tier": tier(template, "场地", 10)}})
    with pytest.raises(Refused, match="活动"):  # unanswered items named
        scoring.submit_sheet(sheet, by=expert)
    scoring.save_entries(
        sheet,
        {
            item(template, "活动"): {"points": "25"},
            item(template, "服务"): {"tier": tier(template, "服务", 25)},
        },
    )
    other = factories.UserFactory(role=Role.EXPERT)
    with pytest.raises(Refused):  # only the scorer submits his sheet
        scoring.submit_sheet(sheet, by=other)

    scoring.submit_sheet(sheet, by=expert)
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.SUBMITTED
    assert sheet.submitted_at is not None
    assert sheet.total == Decimal("70.00")  # 10 × 2 + 25 + 25

    with pytest.raises(ValidationError):
        scoring.save_entries(sheet, {item(template, "活动"): {"points": "30"}})
    entry = sheet.entries.get(item__title="活动")
    entry.points = Decimal("30")
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        sheet.save()
    with pytest.raises(Refused):
        scoring.submit_sheet(sheet, by=expert)
    sheet.refresh_from_db()
    assert sheet.total == Decimal("70.00")
    form = ScoreSheetForm(sheet)
    assert all(field.disabled for field in form.fields.values())


def _submitted_sheet(template, scorer, subject, points):
    sheet = scoring.sheet_for(template, scorer, subject)
    scoring.save_entries(sheet, {template.items.get(): {"points": points}})
    scoring.submit_sheet(sheet, by=scorer)
    return sheet


SINGLE = [("综合评估", "1", "100")]


@pytest.mark.django_db
def test_a_scorer_sees_others_sheets_only_after_submitting_his_own(staff_user, application):
    template = active_template(staff_user, SINGLE)
    first, second, third = (factories.UserFactory(role=Role.EXPERT) for _ in range(3))
    sheet_1 = _submitted_sheet(template, first, application, "70")
    sheet_2 = scoring.sheet_for(template, second, application)
    sheet_3 = scoring.sheet_for(template, third, application)

    assert list(scoring.visible_sheets(application, second)) == [sheet_2]
    scoring.save_entries(sheet_2, {template.items.get(): {"points": "80"}})
    scoring.submit_sheet(sheet_2, by=second)
    assert set(scoring.visible_sheets(application, second)) == {sheet_1, sheet_2}  # not the draft
    assert set(scoring.visible_sheets(application, second, share_after_submit=False)) == {sheet_2}
    assert set(scoring.visible_sheets(application, first)) == {sheet_1, sheet_2}
    assert list(scoring.visible_sheets(application, third)) == [sheet_3]
    assert set(scoring.visible_sheets(application, staff_user)) == {sheet_1, sheet_2, sheet_3}
    outsider = factories.applicant_user(application.host_unit)
    assert not scoring.visible_sheets(application, outsider).exists()
    # Sheets of another subject never show.
    other = factories.ApplicationFactory()
    assert not scoring.visible_sheets(other, first).exists()


@pytest.mark.django_db
def test_aggregate_mean_median_spread_over_submitted_sheets(staff_user, application):
    template = active_template(staff_user, SINGLE)
    empty = scoring.aggregate(application)
    assert (empty.count, empty.submitted, empty.mean, empty.spread) == (0, 0, None, None)
    for points in ("70", "80", "95"):
        _submitted_sheet(template, factories.UserFactory(role=Role.EXPERT), application, points)
    draft = scoring.sheet_for(template, factories.UserFactory(role=Role.EXPERT), application)
    scoring.save_entries(draft, {template.items.get(): {"points": "10"}})

    result = scoring.aggregate(application)
    assert result == scoring.Aggregate(
        count=4,
        submitted=3,
        mean=Decimal("81.67"),
        median=Decimal("80.00"),
        minimum=Decimal("70.00"),
        maximum=Decimal("95.00"),
        spread=Decimal("25.00"),
        stdev=Decimal("12.58"),
    )
    assert scoring.aggregate(application, template=template).mean == Decimal("81.67")
    one = factories.ApplicationFactory()
    _submitted_sheet(template, factories.UserFactory(role=Role.EXPERT), one, "60")
    single = scoring.aggregate(one)
    assert (single.mean, single.median, single.spread, single.stdev) == (
        Decimal("60.00"),
        Decimal("60.00"),
        Decimal("0.00"),
        None,
    )


@pytest.mark.parametrize(
    ("assigned", "quorum", "needed"),
    [(3, None, 3), (3, 0, 3), (3, 2, 2), (5, 3, 3), (2, 5, 2), (0, 0, 0), (0, 2, 0)],
)
def test_sheets_needed_all_assigned_or_the_policy_quorum(assigned, quorum, needed):
    # 0 or None: every assigned scorer; never more than were assigned.
    assert scoring.sheets_needed(assigned, quorum) == needed


@pytest.mark.django_db
def test_new_sheets_only_on_the_active_version(staff_user, expert, application):
    draft = make_template(SINGLE)
    with pytest.raises(ValidationError):
        scoring.sheet_for(draft, expert, application)
    active = ScoreSheetTemplate.active_for(REVIEW)
    sheet = scoring.sheet_for(active, expert, application)
    perform(draft, "activate", by=staff_user)
    active.refresh_from_db()
    assert active.status == ScoreSheetTemplate.Status.RETIRED
    assert scoring.sheet_for(active, expert, application) == sheet  # a started sheet goes on
    station = application.station
    assert scoring.sheet_for(draft, expert, station).subject == station  # any subject


@pytest.mark.django_db
def test_seeded_templates_are_active_and_sum_to_100():
    review = ScoreSheetTemplate.active_for(REVIEW)
    assessment = ScoreSheetTemplate.active_for(ASSESSMENT)
    assert review.version == 1
    assert assessment.version == 2  # the Annex 2 points and tier conditions replaced version 1
    for template in (review, assessment):
        assert template.max_total() == Decimal("100")
        assert template.activation_problems() == []
    assert 6 <= review.items.count() <= 8
    assert any(i.kind == ScoreItem.Kind.RANGE for i in review.items.all())
    assert "50人次" in review.items.get(title="活动开展与人才服务").description

    items = list(assessment.items.all())
    assert [i.title for i in items] == ["场地配备", "人员配备", "制度建设", "开展活动", "人才服务"]
    assert [i.tiers.count() for i in items] == [2, 3, 3, 3, 3]
    for i in items:
        points = [t.points for t in i.tiers.all()]
        assert points == sorted(points, reverse=True)  # best first
        assert points[-1] == 0
    assert items[0].tiers.first().label.startswith("设立项目展示和人才政策宣传专区")
    assert items[4].tiers.first().label == "每年服务人才100人次以上"


@pytest.mark.django_db
def test_the_form_has_one_labelled_field_per_item_and_shows_the_computed_total(expert, application):
    template = ScoreSheetTemplate.active_for(REVIEW)
    sheet = scoring.sheet_for(template, expert, application)
    items = list(template.items.all())
    form = ScoreSheetForm(sheet)
    score_fields = [name for name in form.fields if name.startswith("item_")]
    assert score_fields == [f"item_{i.pk}" for i in items]
    assert all(not form.fields[f"comment_{i.pk}"].required for i in items)
    assert not any("total" in name for name in form.fields)

    html = str(form)
    assert 'name="total"' not in html
    assert "<output" in html and "/ 100" in html
    for i in items:
        field = form[f"item_{i.pk}"]
        assert field.label == i.title
        assert i.description in field.help_text
        if i.kind == ScoreItem.Kind.RANGE:
            assert re.search(rf'<label\s+for="id_item_{i.pk}"', html)
            assert re.search(
                rf'<input[^>]*name="item_{i.pk}"[^>]*id="id_item_{i.pk}"'
                rf'|<input[^>]*id="id_item_{i.pk}"[^>]*name="item_{i.pk}"',
                html,
            )
        else:
            assert "<legend" in html
            for n, tier_ in enumerate(i.tiers.all()):
                assert re.search(rf'<label\s+for="id_item_{i.pk}_{n}"', html)
                assert f'id="id_item_{i.pk}_{n}"' in html
                assert tier_.label in html
        assert re.search(rf'<label\s+for="id_comment_{i.pk}"', html)
        assert f'aria-describedby="id_item_{i.pk}_helptext"' in html
    # Every input has a label pointing at it.
    for input_id in re.findall(r'<(?:input|textarea)[^>]*\sid="([^"]+)"', html):
        assert f'for="{input_id}"' in html, input_id

    # Filled in and saved through the form, the shown total is the computed one.
    data = {}
    for i in items:
        if i.kind == ScoreItem.Kind.RANGE:
            data[f"item_{i.pk}"] = "7.5"
        else:
            data[f"item_{i.pk}"] = str(i.tiers.first().pk)
    form = ScoreSheetForm(sheet, data, for_submit=True)
    assert form.is_valid(), form.errors
    form.save(by=expert)
    assert ScoreSheetForm(sheet).computed_total == "97.5"
    scoring.submit_sheet(sheet, by=expert)
    sheet.refresh_from_db()
    assert sheet.total == Decimal("97.50")
    incomplete = ScoreSheetForm(
        scoring.sheet_for(template, factories.UserFactory(role=Role.EXPERT), application),
        {},
        for_submit=True,
    )
    assert not incomplete.is_valid()


@pytest.mark.django_db
def test_admin_pages_for_templates_items_and_sheets(client, staff_user, expert, application):
    from django.urls import reverse

    active = ScoreSheetTemplate.active_for(ASSESSMENT)
    sheet = _submitted_sheet(active_template(staff_user, SINGLE), expert, application, "88")
    client.force_login(staff_user)
    for url in (
        reverse("admin:talentstation_scoresheettemplate_changelist"),
        reverse("admin:talentstation_scoresheettemplate_add"),
        reverse("admin:talentstation_scoreitem_add"),
        reverse("admin:talentstation_scoresheettemplate_change", args=[active.pk]),
        reverse("admin:talentstation_scoreitem_change", args=[active.items.first().pk]),
        reverse("admin:talentstation_scoresheet_changelist"),
        reverse("admin:talentstation_scoresheet_change", args=[sheet.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("admin:talentstation_scoresheet_change", args=[sheet.pk]))
    assert "88" in page.content.decode()
    # An active version is read-only: a post changes nothing.
    client.post(
        reverse("admin:talentstation_scoresheettemplate_change", args=[active.pk]),
        {"name": "改名", "purpose": ASSESSMENT, "note": ""},
    )
    active.refresh_from_db()
    assert active.name != "改名"

    # The "new draft version" action, then "activate" on the draft.
    changelist = reverse("admin:talentstation_scoresheettemplate_changelist")
    client.post(changelist, {"action": "new_draft_version", "_selected_action": [active.pk]})
    draft = ScoreSheetTemplate.objects.get(based_on=active)
    assert draft.status == ScoreSheetTemplate.Status.DRAFT
    response = client.get(reverse("admin:talentstation_scoresheettemplate_change", args=[draft.pk]))
    assert response.status_code == 200
    client.post(changelist, {"action": "transition_activate", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    active.refresh_from_db()
    assert (draft.status, active.status) == ("active", "retired")


@pytest.mark.django_db
def test_a_draft_keeps_its_purpose_and_only_drafts_are_deleted(staff_user):
    draft = make_template(SINGLE)
    draft.purpose = ASSESSMENT
    with pytest.raises(ValidationError):
        draft.save()
    draft.refresh_from_db()
    draft.name = "新名称"
    draft.save()
    draft.delete()
    with pytest.raises(ValidationError):
        ScoreSheetTemplate.active_for(REVIEW).delete()
