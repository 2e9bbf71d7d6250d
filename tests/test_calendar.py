"""The working-day calendar and publicity periods (公示期).

Expected dates are worked out by hand from the State Council General Office notices:
2025 (国办发明电〔2024〕12号) — Labour Day 1–5 May off, Sunday 27 April worked; National Day and
Mid-Autumn 1–8 October off (8 days), Sunday 28 September and Saturday 11 October worked.
2026 (国办发明电〔2025〕7号) — New Year 1–3 January off, Sunday 4 January worked; Dragon Boat
Festival 19–21 June off. The years 2031, 2027 and 2032 are made up for the staff-entered data.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from talentstation.calendar import (
    CalendarIncomplete,
    admin_section,
    is_working_day,
    publicity_period,
    working_days_from,
)
from talentstation.models import CalendarDay, CalendarYear

D = datetime.date
HOLIDAY = CalendarDay.Kind.HOLIDAY
WORKDAY = CalendarDay.Kind.WORKDAY


def dates(*isoformats):
    return tuple(D.fromisoformat(value) for value in isoformats)


def enter_year(year, complete, days=()):
    record = CalendarYear.objects.create(year=year, complete=complete, source="测试用虚构安排")
    for isoformat, kind, name in days:
        CalendarDay.objects.create(
            year=record, date=D.fromisoformat(isoformat), kind=kind, name=name
        )
    return record


# A made-up arrangement: New Year's Day (a Wednesday) off; National Day Wed 1 – Tue 7 October off,
# of which the weekdays are entered; Saturday 11 October worked.
YEAR_2031 = [
    ("2031-01-01", HOLIDAY, "元旦"),
    ("2031-10-01", HOLIDAY, "国庆节"),
    ("2031-10-02", HOLIDAY, "国庆节"),
    ("2031-10-03", HOLIDAY, "国庆节"),
    ("2031-10-06", HOLIDAY, "国庆节"),
    ("2031-10-07", HOLIDAY, "国庆节"),
    ("2031-10-11", WORKDAY, "国庆节"),
]


# --- Official arrangements (chinesecalendar) -----------------------------------------------------


@pytest.mark.django_db
def test_labour_day_2025_example_from_the_issue():
    period = publicity_period(D(2025, 4, 30), 5)
    assert period.days == dates(
        "2025-04-30", "2025-05-06", "2025-05-07", "2025-05-08", "2025-05-09"
    )
    assert period.first_day == D(2025, 4, 30)
    assert period.last_day == D(2025, 5, 9)
    assert period.working_days == 5
    assert period.ends_at == datetime.datetime(
        2025, 5, 9, 23, 59, 59, 999999, tzinfo=ZoneInfo("Asia/Shanghai")
    )
    assert period.publication_allowed_from == D(2025, 5, 10)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # Make-up Sunday 27 April 2025 before Labour Day.
        ("2025-04-25", ("2025-04-25", "2025-04-27", "2025-04-28", "2025-04-29", "2025-04-30")),
        # Make-up Sunday 28 September 2025, then the National Day holiday.
        ("2025-09-26", ("2025-09-26", "2025-09-28", "2025-09-29", "2025-09-30", "2025-10-09")),
        # Make-up Saturday 11 October 2025 after National Day.
        ("2025-10-09", ("2025-10-09", "2025-10-10", "2025-10-11", "2025-10-13", "2025-10-14")),
    ],
)
def test_make_up_saturday_and_sunday_are_working_days(start, expected):
    period = publicity_period(D.fromisoformat(start), 5)
    assert period.days == dates(*expected)
    assert period.last_day == D.fromisoformat(expected[-1])


@pytest.mark.django_db
def test_eight_day_national_day_holiday_2025():
    period = publicity_period(D(2025, 9, 30), 5)
    assert period.first_day == D(2025, 9, 30)
    # 1–8 October are off; 11 October (Saturday) is worked.
    assert period.days == dates(
        "2025-09-30", "2025-10-09", "2025-10-10", "2025-10-11", "2025-10-13"
    )
    assert period.publication_allowed_from == D(2025, 10, 14)
    assert not any(is_working_day(D(2025, 10, day)) for day in range(1, 9))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "first", "last"),
    [
        # The issue's example: New Year 2026 is off 1–3 January, Sunday 4 January is worked.
        ("2026-01-01", "2026-01-04", "2026-01-08"),
        # A start in the middle of National Day 2025.
        ("2025-10-03", "2025-10-09", "2025-10-14"),
        # An ordinary Saturday: day 1 is the Monday.
        ("2025-05-10", "2025-05-12", "2025-05-16"),
    ],
)
def test_start_on_a_day_off_counts_from_the_next_working_day(start, first, last):
    period = publicity_period(D.fromisoformat(start), 5)
    assert period.start == D.fromisoformat(start)
    assert period.first_day == D.fromisoformat(first)
    assert period.last_day == D.fromisoformat(last)
    assert period.publication_allowed_from == D.fromisoformat(last) + datetime.timedelta(days=1)


@pytest.mark.django_db
def test_working_days_from_and_its_argument_check():
    assert working_days_from(D(2026, 1, 1), 1) == [D(2026, 1, 4)]
    with pytest.raises(ValueError):
        working_days_from(D(2026, 1, 1), 0)


# --- Staff-entered data --------------------------------------------------------------------------


@pytest.mark.django_db
def test_made_up_staff_entered_year():
    enter_year(2031, complete=True, days=YEAR_2031)
    period = publicity_period(D(2031, 9, 30), 5)
    # 1–7 October off (the weekend by the weekday rule), Saturday 11 October worked.
    assert period.days == dates(
        "2031-09-30", "2031-10-08", "2031-10-09", "2031-10-10", "2031-10-11"
    )
    assert period.ends_at.date() == D(2031, 10, 11)
    assert publicity_period(D(2031, 1, 1), 5).days == dates(
        "2031-01-02", "2031-01-03", "2031-01-06", "2031-01-07", "2031-01-08"
    )
    assert not is_working_day(D(2031, 10, 4))  # a Saturday not listed: off
    assert is_working_day(D(2031, 5, 1))  # not entered, a Thursday: the weekday rule


@pytest.mark.django_db
def test_staff_override_beats_the_package():
    # 2026 is in the package; staff correct one day without completing the year.
    enter_year(2026, complete=False, days=[("2026-06-19", WORKDAY, "端午节")])
    assert is_working_day(D(2026, 6, 19))
    assert not is_working_day(D(2026, 6, 20))  # the rest of 2026 still from the package
    assert publicity_period(D(2026, 6, 18), 5).days == dates(
        "2026-06-18", "2026-06-19", "2026-06-22", "2026-06-23", "2026-06-24"
    )
    # Marked complete, the staff data replaces the package for the whole year.
    CalendarYear.objects.filter(year=2026).update(complete=True)
    assert is_working_day(D(2026, 10, 1))


@pytest.mark.django_db
def test_one_query_per_table_for_a_period(django_assert_num_queries):
    enter_year(2031, complete=True, days=YEAR_2031)
    with django_assert_num_queries(2):
        publicity_period(D(2031, 9, 30), 20)


# --- Refusal -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_year_with_nothing_entered_is_refused_naming_the_year():
    with pytest.raises(CalendarIncomplete) as refused:
        publicity_period(D(2032, 3, 1), 5)
    assert refused.value.years == (2032,)
    assert "2032" in str(refused.value)
    assert admin_section() in str(refused.value)
    with translation.override("en"):
        assert str(refused.value) == (
            "The working-day calendar has no complete data for 2032. Bureau staff: in admin → "
            "Portal → Working-day calendar, enter that year's public holidays and make-up "
            "working days from the State Council notice and mark the year's arrangement complete."
        )


@pytest.mark.django_db
def test_year_entered_but_not_marked_complete_is_refused():
    enter_year(2031, complete=False, days=YEAR_2031)
    with pytest.raises(CalendarIncomplete) as refused:
        publicity_period(D(2031, 9, 30), 5)
    assert refused.value.years == (2031,)
    assert "2031" in str(refused.value)
    with pytest.raises(CalendarIncomplete):
        is_working_day(D(2031, 10, 11))  # even a listed day: the year is not trusted yet


@pytest.mark.django_db
def test_period_running_into_a_year_not_entered_is_refused():
    # 24–30 December 2026 fit in 2026: fine although 2027 is unknown.
    assert publicity_period(D(2026, 12, 24), 5).last_day == D(2026, 12, 30)
    with pytest.raises(CalendarIncomplete) as refused:
        publicity_period(D(2026, 12, 28), 5)
    assert refused.value.years == (2027,)
    assert "2027" in str(refused.value)
    # Once staff enter 2027 (made up here: Friday 1 January off) the period goes through.
    enter_year(2027, complete=True, days=[("2027-01-01", HOLIDAY, "元旦")])
    assert publicity_period(D(2026, 12, 28), 5).days == dates(
        "2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31", "2027-01-04"
    )


# --- Validation of staff entries -----------------------------------------------------------------


def validation_messages(day):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        day.full_clean()
    return refused.value.message_dict


@pytest.mark.django_db
def test_calendar_day_validation_messages():
    year_2031 = enter_year(2031, complete=True)
    messages = validation_messages(CalendarDay(year=year_2031, date=D(2030, 10, 1), kind=HOLIDAY))
    assert messages["date"] == ["2030-10-01 is not in 2031."]
    messages = validation_messages(CalendarDay(year=year_2031, date=D(2031, 10, 8), kind=WORKDAY))
    assert messages["kind"] == [
        "2031-10-08 is a Wednesday and so a working day anyway: make-up working days are "
        "Saturdays or Sundays that are worked. Check the date."
    ]
    messages = validation_messages(CalendarDay(year=year_2031, date=D(2031, 10, 4), kind=HOLIDAY))
    assert messages["kind"] == [
        "2031-10-04 is a Saturday and so a day off anyway: enter only the public holidays "
        "that fall on Monday to Friday."
    ]
    CalendarDay(year=year_2031, date=D(2031, 10, 11), kind=WORKDAY).full_clean()
    CalendarDay(year=year_2031, date=D(2031, 10, 1), kind=HOLIDAY).full_clean()

    # A year the package covers: an entry is pointless when it agrees with the package…
    year_2026 = enter_year(2026, complete=False)
    messages = validation_messages(CalendarDay(year=year_2026, date=D(2026, 6, 19), kind=HOLIDAY))
    assert messages["kind"] == [
        "2026-06-19 (Friday) is already a day off in the built-in official calendar; this "
        "entry would change nothing."
    ]
    messages = validation_messages(CalendarDay(year=year_2026, date=D(2026, 1, 4), kind=WORKDAY))
    assert "already a working day in the built-in official calendar" in messages["kind"][0]
    # …and a correction when it does not, even a make-up working day on a Friday.
    CalendarDay(year=year_2026, date=D(2026, 6, 19), kind=WORKDAY).full_clean()


# --- Admin ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_pages_load_for_staff_with_the_preview(client, staff_user):
    record = enter_year(2031, complete=True, days=YEAR_2031)
    client.force_login(staff_user)
    response = client.get(reverse("admin:talentstation_calendaryear_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_list[0]._day_count == 7
    assert client.get(reverse("admin:talentstation_calendaryear_add")).status_code == 200
    assert client.get(reverse("admin:talentstation_calendarday_changelist")).status_code == 200

    response = client.get(reverse("admin:talentstation_calendaryear_change", args=[record.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for listed in ("2031-01-01", "2031-10-07", "2031-10-11"):
        assert listed in body
    assert "2031-10-04" not in body  # a weekend holiday is not an exception to check


@pytest.mark.django_db
def test_admin_inline_reports_a_date_outside_the_year(client, staff_user):
    client.force_login(staff_user)
    prefix = "days"
    response = client.post(
        reverse("admin:talentstation_calendaryear_add"),
        {
            "year": "2031",
            "complete": "on",
            "source": "",
            "note": "",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
            f"{prefix}-0-date": "2030-10-01",
            f"{prefix}-0-kind": HOLIDAY,
            f"{prefix}-0-name": "国庆节",
        },
    )
    assert response.status_code == 200
    assert not CalendarYear.objects.exists()
    assert "2030-10-01" in str(response.context["inline_admin_formsets"][0].formset.errors)
