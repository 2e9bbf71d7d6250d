"""The outcomes in a browser (axe on every page), as the people who use them: bureau staff take
a closed cycle to its published results (ranking, leadership approval, publicity, publication),
record the rank-1 award's payment and build a nomination batch; the unit sees its award and
certificate; an official downloads the batch's Annex 3 and can change nothing."""

import datetime
import io

import openpyxl
from django.urls import reverse
from playwright.sync_api import Page, expect

from awards.forms.funds import PayForm
from awards.forms.nominations import BatchForm
from awards.forms.ranking import ApproveForm, ProposeForm
from awards.models import Award, Ranking
from awards.ranking import publicities_of
from talentstation import publicity
from talentstation.dates import today
from talentstation.roles import Role
from tests import factories

from .conftest import check_accessibility_at_both_widths
from .test_registration_flow import field, log_in, tr

STATIONS = {
    "闽侯智谷人才驿站": None,  # 100
    "南屿科创人才驿站": {"人才服务": 15},  # 90
    "大学城人才驿站": {"开展活动": 18},  # 88
    "乌龙江人才服务驿站": {"开展活动": 0, "人才服务": 0, "场地配备": 0},  # 30
}


def labelled(page: Page, form_class, name, prefix):
    """The input of a prefixed form's field, found by its label."""
    label = tr(form_class.base_fields[name].label)
    locator = page.get_by_label(label, exact=False).and_(page.locator(f"#id_{prefix}-{name}"))
    expect(locator).to_have_count(1)
    return locator


def test_from_a_closed_cycle_to_the_paid_award_and_annex3(page: Page, tmp_path):
    staff = factories.UserFactory(role=Role.STAFF, full_name="林雅琴")
    official = factories.UserFactory(role=Role.OFFICIAL)
    unit = factories.HostUnitFactory(name="福建闽侯智谷科技发展有限公司")
    member = factories.applicant_user(unit)
    cycle = factories.closed_cycle(STATIONS, staff=staff)
    first = cycle.stations_by_name["闽侯智谷人才驿站"]
    first.host_unit = unit
    first.save(update_fields=["host_unit"])

    # Staff: the cycle's results → the ranking, proposed with a reason and approved.
    log_in(page, staff.username)
    page.goto(reverse("assessments:cycle_results", args=[cycle.pk]))
    page.get_by_role("link", name=tr("Ranking and excellent stations")).click()
    page.get_by_role("button", name=tr("Compute the ranking")).click()
    expect(page.get_by_role("cell", name="闽侯智谷人才驿站")).to_be_visible()
    check_accessibility_at_both_widths(page)
    labelled(page, ProposeForm, "reason", "propose").fill("按考核得分排序，无同分。")
    page.get_by_role("button", name=tr("Propose the ranking")).click()
    labelled(page, ApproveForm, "meeting_date", "approve").fill(
        str(today() - datetime.timedelta(days=1))
    )
    labelled(page, ApproveForm, "meeting_reference", "approve").fill(
        "区人才工作领导小组联席会议纪要第3号"
    )
    page.get_by_role("button", name=tr("Record the approval")).click()
    page.locator("#id_publicity-contact").fill("电话：0591-00000000（区人社局人才服务科）")
    page.get_by_role("button", name=tr("Prepare the publicity")).click()
    expect(page.get_by_role("button", name=tr("Prepare the publicity"))).to_have_count(0)
    ranking = Ranking.objects.get(cycle=cycle)
    assert ranking.status == Ranking.Status.APPROVED

    # The publicity runs its five working days (started in the past here) and is concluded.
    listed = ranking.entries.filter(rank__isnull=False).count()
    assert listed == 3
    notice = publicity_of(ranking)
    publicity.start(notice, by=staff, start_date=today() - datetime.timedelta(days=21))
    publicity.conclude(
        notice, by=staff, notice_number="榕高新区人社〔2026〕9号", notice_date=today()
    )
    ranking.refresh_from_db()
    assert ranking.status == Ranking.Status.PUBLISHED

    # Staff record the payment of the rank-1 award (payee prefilled from the unit).
    page.goto(reverse("awards:award_list"))
    check_accessibility_at_both_widths(page)
    award = Award.objects.get(entry__rank=1)
    page.locator(f"a[href='{reverse('awards:award_pay', args=[award.pk])}']").click()
    expect(field(page, PayForm, "payee_name")).to_have_value(unit.name)
    voucher = tmp_path / "拨付凭证.pdf"
    voucher.write_bytes(factories.TINY_PDF)
    field(page, PayForm, "voucher_reference").fill("榕高新财拨〔2026〕018号")
    page.set_input_files("#id_voucher_file", str(voucher))
    check_accessibility_at_both_widths(page)
    page.get_by_role("button", name=tr("Record the payment")).click()
    expect(page.locator("#id_voucher_reference")).to_have_count(0)
    award.refresh_from_db()
    assert award.status == Award.Status.PAID and award.amount_paid == award.amount_due

    # Staff build a nomination batch to the city with the excellent station first.
    page.goto(reverse("awards:nomination_batch_create"))
    field(page, BatchForm, "title").fill("2026年福州市级人才驿站推荐")
    page.locator("#id_level").select_option("city")
    field(page, BatchForm, "programme").fill("福州市级人才驿站")
    field(page, BatchForm, "filled_by_name").fill("林雅琴")
    page.get_by_role("button", name=tr("Create the batch")).click()
    expect(page.get_by_role("heading", name="2026年福州市级人才驿站推荐", level=1)).to_be_visible()
    page.locator("#id_add-station").select_option(str(first.pk))
    page.get_by_role("button", name=tr("Add"), exact=True).click()
    expect(page.get_by_role("cell", name=first.name).first).to_be_visible()

    # The unit sees its award and its certificate.
    page.context.clear_cookies()
    log_in(page, member.username)
    page.goto(reverse("awards:mine"))
    expect(page.get_by_text("50,000").or_(page.get_by_text("50000")).first).to_be_visible()
    check_accessibility_at_both_widths(page)

    # The official: Annex 3 of the batch, and no button that changes anything.
    page.context.clear_cookies()
    log_in(page, official.username)
    page.goto(reverse("awards:index"))
    check_accessibility_at_both_widths(page)
    page.get_by_role("link", name="2026年福州市级人才驿站推荐").first.click()
    assert page.get_by_role("button", name=tr("Add"), exact=True).count() == 0
    with page.expect_download() as download_info:
        page.get_by_role("link", name=tr("Annex 3 (xlsx)")).click()
    with open(download_info.value.path(), "rb") as file:
        sheet = openpyxl.load_workbook(io.BytesIO(file.read())).active
    assert sheet["A1"].value == "人才驿站推荐汇总表"
    assert first.name in [cell.value for cell in sheet["B"]]
    page.goto(reverse("awards:ranking_detail", args=[ranking.pk]))
    assert page.get_by_role("button").filter(has_text=tr("Propose the ranking")).count() == 0


def publicity_of(ranking):
    return publicities_of(ranking)[0]
