"""The public front door (一网通办): the home page's call and countdown, publicity, stations by
type, policy text with its annexes as blank forms, the service guide from the policy settings,
the FAQ, and a constant number of queries."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from stations.models import Call, Station, StationType
from talentstation import guide, policy_text
from talentstation import publicity as publicity_service
from talentstation.models import (
    FaqEntry,
    GuideSection,
    PolicyAnnex,
    PolicyDocument,
    PolicyVersion,
    Publicity,
)
from talentstation.workflow import perform

from . import factories
from .test_publicity import approved_application, new_publicity

pytestmark = pytest.mark.django_db


def section(response, key):
    return next(s for s in response.context["front_door_sections"] if s["key"] == key)


# --- the call ------------------------------------------------------------------------------


def test_the_open_call_with_its_window_and_the_days_left(client):
    call = factories.CallFactory(year=2026, title="2026年度人才驿站申报通知")
    with time_machine.travel("2026-08-20 10:00 +0800", tick=False):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    shown = section(response, "call")
    assert shown["call"] == call
    assert shown["days_left"] == (datetime.date(2026, 9, 30) - datetime.date(2026, 8, 20)).days
    html = response.content.decode()
    assert "2026年度人才驿站申报通知" in html
    assert "2026-07-01" in html and "2026-09-30" in html
    assert reverse("stations:call_detail", args=[call.pk]) in html
    # Login and registration stay.
    assert reverse("login") in html and reverse("stations:register") in html


def test_the_last_day_of_the_call_counts_until_midnight_shanghai(client):
    factories.CallFactory(year=2026)
    # 23:30 in Shanghai on the close date is 15:30 UTC: still the last day.
    with time_machine.travel("2026-09-30 15:30 +0000", tick=False):
        shown = section(client.get(reverse("home")), "call")
    assert shown["days_left"] == 0
    with time_machine.travel("2026-09-30 16:30 +0000", tick=False):  # 00:30 on 1 October
        shown = section(client.get(reverse("home")), "call")
    assert "call" not in shown
    assert shown["expected"]["year"] == 2027


def test_the_next_call_and_the_days_until_it_opens(client):
    upcoming = factories.CallFactory(year=2026)
    factories.CallFactory(year=2026, status=Call.Status.DRAFT, title="草稿通知")
    with time_machine.travel("2026-06-10 10:00 +0800", tick=False):
        response = client.get(reverse("home"))
    shown = section(response, "call")
    assert shown["next_call"] == upcoming
    assert shown["days_until"] == 21
    assert "草稿通知" not in response.content.decode()


@pytest.mark.parametrize(
    ("day", "calls_this_year", "expected_year"),
    [
        ("2026-05-01", 0, 2026),  # before Q3, no call yet: this year's
        ("2026-08-01", 0, 2026),  # in Q3, nothing published yet
        ("2026-08-01", 1, 2027),  # this year's call is over (closed early)
        ("2026-12-01", 0, 2027),  # after Q3
    ],
)
def test_with_no_call_published_the_yearly_call_is_expected_in_q3(
    client, staff_user, day, calls_this_year, expected_year
):
    for _ in range(calls_this_year):
        call = factories.CallFactory(year=2026)
        perform(call, "close", by=staff_user)
    with time_machine.travel(f"{day} 10:00 +0800", tick=False):
        response = client.get(reverse("home"))
    shown = section(response, "call")
    assert "call" not in shown and "next_call" not in shown
    assert shown["expected"] == {"year": expected_year, "first_month": 7, "last_month": 9}
    assert f"{reverse('policy_text')}#art-10" in response.content.decode()


# --- publicity and stations ----------------------------------------------------------------


def test_the_lists_under_publicity_now_link_to_their_page(client, staff_user):
    running = new_publicity([approved_application(staff_user)], staff_user)
    publicity_service.start(running, by=staff_user, start_date=datetime.date(2026, 9, 28))
    draft = new_publicity([approved_application(staff_user)], staff_user)
    Publicity.objects.filter(pk=draft.pk).update(title="尚未开始的公示")
    response = client.get(reverse("home"))
    assert section(response, "publicity")["publicities"] == [running]
    html = response.content.decode()
    assert reverse("publicity_detail", args=[running.pk]) in html
    assert "尚未开始的公示" not in html


def test_certified_stations_by_type_link_to_the_filtered_directory(client, staff_user):
    for station_type in [StationType.INDUSTRY] * 3 + [StationType.SERVICE]:
        factories.live_station(staff=staff_user, station_type=station_type)
    factories.StationFactory(station_type=StationType.SERVICE)  # still applying
    rectifying = factories.live_station(staff=staff_user, station_type=StationType.COMPREHENSIVE)
    Station.objects.filter(pk=rectifying.pk).update(status=Station.Status.RECTIFYING)
    revoked = factories.live_station(staff=staff_user, station_type=StationType.ENTREPRENEURSHIP)
    Station.objects.filter(pk=revoked.pk).update(status=Station.Status.REVOKED)

    response = client.get(reverse("home"))
    shown = section(response, "stations")
    counts = {row["value"]: row["count"] for row in shown["types"]}
    expected = dict.fromkeys(StationType.values, 0)
    for station in Station.objects.filter(status__in=Station.LIVE_STATES):
        expected[station.station_type] += 1
    assert (
        counts
        == expected
        == {
            "industry": 3,
            "entrepreneurship": 0,
            "service": 1,
            "comprehensive": 1,
        }
    )
    assert shown["total"] == 5
    industry = next(row for row in shown["types"] if row["value"] == "industry")
    assert industry["url"] == reverse("stations:directory") + "?type=industry"
    assert industry["url"] in response.content.decode()
    directory = client.get(industry["url"])
    assert directory.status_code == 200
    assert len(directory.context["page"].object_list) == 3


# --- the policy text and its annexes -------------------------------------------------------


def test_the_2024_measures_are_seeded_with_three_annexes():
    document = PolicyDocument.objects.get()
    assert document.number == "榕高新区人社规〔2024〕2号"
    assert document.issued_on == datetime.date(2024, 7, 2)
    assert "第二十三条 本办法自发布之日起施行" in document.text
    assert [(a.number, a.generated_form) for a in document.annexes.all()] == [
        (1, "annex1"),
        (2, "annex2"),
        (3, "annex3"),
    ]


def test_the_policy_page_renders_the_articles_with_anchors(client):
    response = client.get(reverse("policy_text"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="art-10"' in html and 'href="#art-10"' in html
    assert 'id="art-15"' in html and 'id="art-15-2"' in html  # the two 第十五条
    assert 'id="chapter-5"' in html
    assert "公示期为5个工作日" in html
    for annex in PolicyAnnex.objects.all():
        assert reverse("policy_annex", args=[annex.pk]) in html


def test_the_policy_text_parser():
    text = policy_text.parse(PolicyDocument.objects.get().text)
    assert [c.label for c in text.chapters][:2] == ["第一章", "第二章"]
    anchors = [a.anchor for c in text.chapters for a in c.articles]
    assert anchors[:3] == ["art-1", "art-2", "art-3"]
    assert "art-11" not in anchors and anchors.count("art-15") == 1 and "art-15-2" in anchors
    assert anchors[-1] == "art-23" and text.article_count == 23
    assert [annex.number for annex in text.annexes] == [1, 2, 3]
    assert policy_text.chinese_number("二十三") == 23
    assert policy_text.chinese_number("十五") == 15
    assert policy_text.chinese_number("一百零二") == 102


def _download(client, number):
    annex = PolicyAnnex.objects.get(number=number)
    response = client.get(reverse("policy_annex", args=[annex.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return response


def test_annex1_and_annex2_download_as_blank_pdf_forms(client):
    for number, title in [(1, "福州高新区“人才驿站”建站申报表"), (2, "福州高新区人才驿站考核表")]:
        response = _download(client, number)
        assert response["Content-Type"] == "application/pdf"
        text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
        assert title in text.replace("\n", "")


def test_annex3_downloads_as_an_empty_summary_sheet(client):
    response = _download(client, 3)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "人才驿站推荐汇总表"


def test_an_uploaded_annex_file_is_served_instead(client):
    annex = PolicyAnnex.objects.get(number=1)
    annex.file.save("annex1.pdf", ContentFile(b"%PDF-1.4\n% stamped original\n%%EOF\n"))
    response = _download(client, 1)
    assert b"stamped original" in b"".join(response.streaming_content)


def test_unpublished_documents_and_their_annexes_are_not_public(client):
    document = PolicyDocument.objects.get()
    annex = document.annexes.first()
    PolicyDocument.objects.update(published=False)
    assert client.get(reverse("policy_text")).status_code == 404
    assert client.get(reverse("policy_document", args=[document.pk])).status_code == 404
    assert client.get(reverse("policy_annex", args=[annex.pk])).status_code == 404
    assert "front-door-policy" not in client.get(reverse("home")).content.decode()


# --- the service guide and the FAQ ---------------------------------------------------------


def test_the_guide_follows_the_current_policy_settings(client):
    response = client.get(reverse("service_guide"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "公示{publicity_working_days}" not in html
    assert "公示期：5个工作日" in html
    assert "每年至少举办4场活动，服务人才不少于50人次" in html

    values = PolicyVersion.current().rule_values()
    values.update(publicity_working_days=7, min_activities_per_year=6, title="新版本")
    PolicyVersion.objects.create(**values)
    html = client.get(reverse("service_guide")).content.decode()
    assert "公示期：7个工作日" in html and "公示期：5个工作日" not in html
    assert "每年至少举办6场活动" in html
    # The home page's FAQ follows too.
    assert "公示期为7个工作日" in client.get(reverse("home")).content.decode()


def test_the_guide_has_every_part_in_order():
    titles = list(GuideSection.objects.published().values_list("title", flat=True))
    assert titles == ["申请对象", "申报条件", "申报材料", "办理流程", "办理时限"]


def test_the_guide_shows_the_open_call(client):
    call = factories.CallFactory(year=2026, title="2026年度人才驿站申报通知")
    with time_machine.travel("2026-09-25 10:00 +0800", tick=False):
        response = client.get(reverse("service_guide"))
    assert response.context["call"]["call"] == call
    assert response.context["call"]["days_left"] == 5
    assert "2026年度人才驿站申报通知" in response.content.decode()


def test_guide_texts_fill_known_values_and_keep_unknown_ones():
    policy = PolicyVersion.current()
    assert guide.fill("{publicity_working_days}天{nonsense}", policy) == "5天{nonsense}"
    assert guide.unknown_placeholders("{pass_mark}{nonsense}") == ["nonsense"]
    blocks = guide.blocks("说明\n- 甲\n- 乙\n1. 一\n2. 二", policy)
    assert blocks == [
        {"kind": "p", "text": "说明"},
        {"kind": "ul", "items": ["甲", "乙"]},
        {"kind": "ol", "items": ["一", "二"]},
    ]


def test_the_faq_is_edited_in_admin_and_unpublished_entries_are_hidden(client, staff_user):
    assert FaqEntry.objects.published().count() == 8
    client.force_login(staff_user)
    add = reverse("admin:talentstation_faqentry_add")
    values = {"question": "新问题？", "order": 5, "published": "on"}
    refused = client.post(add, {**values, "answer": "见{no_such_value}"})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["answer"]
    assert (
        client.post(add, {**values, "answer": "公示{publicity_working_days}日"}).status_code == 302
    )
    hidden = FaqEntry.objects.create(question="尚未发布的问题？", answer="……", published=False)
    client.logout()

    home = client.get(reverse("home")).content.decode()
    guide_page = client.get(reverse("service_guide")).content.decode()
    for html in (home, guide_page):
        assert "新问题？" in html and "公示5日" in html
        assert hidden.question not in html


def test_logged_in_users_still_go_to_their_start_page(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("stations:staff_todo")


# --- constant queries ----------------------------------------------------------------------


def _home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def _more_data(staff_user, stations, faqs):
    for number in range(stations):
        station_type = StationType.values[number % len(StationType.values)]
        factories.live_station(staff=staff_user, station_type=station_type)
    for number in range(faqs):
        FaqEntry.objects.create(question=f"问题{number}？", answer="答复{pass_mark}")


def test_the_home_page_reads_a_constant_number_of_queries(client, staff_user):
    call = factories.CallFactory(year=2026)
    for order in range(2):
        call.documents.create(title=f"文件{order}", file=ContentFile(b"x", name="x.pdf"))
    with time_machine.travel("2026-08-20 10:00 +0800", tick=False):
        _more_data(staff_user, stations=2, faqs=1)
        small = _home_queries(client)
        _more_data(staff_user, stations=20, faqs=10)
        for _ in range(3):
            new_publicity([approved_application(staff_user)], staff_user)
        GuideSection.objects.create(title="补充", body="{awards}")
        large = _home_queries(client)
    assert small == large
    assert large <= 12


def test_the_guide_and_policy_pages_read_a_constant_number_of_queries(client, staff_user):
    urls = [reverse("service_guide"), reverse("policy_text")]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    small = counts()
    _more_data(staff_user, stations=0, faqs=15)
    for number in range(10):
        GuideSection.objects.create(title=f"第{number}节", body="- {excellent_title}")
    PolicyDocument.objects.create(
        title="旧办法",
        number="旧〔2020〕1号",
        issuer="区人社局",
        issued_on=datetime.date(2020, 1, 1),
        text="第一章 总则\n第一条 旧。",
    )
    assert counts() == small
