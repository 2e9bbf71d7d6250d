"""A unit applies in the browser: register, start, fill and save a draft, upload attachments,
download the Annex 1 PDF, upload the stamped scan, submit, see the status page."""

import re
from pathlib import Path

import time_machine
from playwright.sync_api import Page, expect

from stations.models import Application, Attachment, HostUnit
from tests import factories
from tests.factories import TINY_PDF, TINY_PNG, valid_code

from .conftest import check_accessibility, screenshot_phone
from .test_registration_flow import fill_registration, submit_registration, tr


def test_unit_applies_from_registration_to_submission(page: Page, tmp_path, live_server):
    # The clock of the server thread and of the test: inside the 2026 call.
    traveller = time_machine.travel("2026-08-03 09:30 +0800", tick=True)
    traveller.start()
    try:
        _apply(page, tmp_path)
    finally:
        traveller.stop()


def _apply(page: Page, tmp_path):
    call = factories.CallFactory(year=2026, title="2026年度福州高新区人才驿站申报通知")
    licence = tmp_path / "licence.pdf"
    licence.write_bytes(TINY_PDF)
    photo = tmp_path / "场地照片.png"
    photo.write_bytes(TINY_PNG)
    scan = tmp_path / "stamped.pdf"
    scan.write_bytes(TINY_PDF)

    # 1. register
    page.goto("/register/")
    fill_registration(
        page,
        licence,
        unit_name="福州光电科技有限公司",
        code=valid_code(4242),
        email="apply@example.com",
    )
    submit_registration(page)
    unit = HostUnit.objects.get(credit_code=valid_code(4242))
    expect(page).to_have_url(re.compile(rf"/units/{unit.pk}/$"))

    # 2. start an application in the open call
    expect(page.get_by_text(call.title)).to_be_visible()
    page.get_by_role("button", name=tr("Start an application")).click()
    application = Application.objects.get(host_unit=unit)
    expect(page).to_have_url(re.compile(rf"/applications/{application.pk}/edit/$"))
    check_accessibility(page)

    # 3. fill part of the form with a wrong date and save the draft: nothing is lost
    page.locator("#id_station_name").fill("高新区光电产业人才驿站")
    page.locator("#id_station_type").select_option("industry")
    page.locator("#id_leader_name").fill("陈光明")
    page.locator("#id_leader_mobile").fill("139 0000 1234")
    page.locator("#id_leader_email").fill("chen@example.com")
    page.locator("#id_area_m2").fill("-5")
    page.get_by_role("button", name=tr("Save draft")).click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_station_name")).to_have_value("高新区光电产业人才驿站")
    expect(page.locator("#id_area_m2")).to_have_value("-5")
    expect(page.locator("#id_area_m2")).to_have_attribute("aria-invalid", "true")
    check_accessibility(page)
    screenshot_phone(page, "application-draft-errors")

    # 4. complete it and save
    page.locator("#id_area_m2").fill("260")
    page.get_by_label(tr("no"), exact=True).check()
    page.locator("#id_address").fill("福州市闽侯县高新大道1号")
    page.locator("#id_built_on").fill("2025-05-01")
    page.locator("#id_staffing").fill("专职人员2名，兼职人员3名")
    page.locator("#id_rules_and_hardware").fill("制度齐全，配备投影和网络")
    page.locator("#id_activities").fill("2025年举办人才沙龙6场，服务人才120人次")
    page.get_by_role("button", name=tr("Save draft")).click()
    expect(page.get_by_role("status").filter(has_text=tr("Draft saved."))).to_be_visible()

    # 5. upload an attachment
    page.locator("#id_attachment-kind").select_option("venue_photo")
    page.locator("#id_attachment-file").set_input_files(photo)
    page.get_by_role("button", name=tr("Upload"), exact=True).click()
    expect(page.get_by_role("link", name="场地照片.png")).to_be_visible()

    # 6. download the Annex 1 PDF
    with page.expect_download() as download_info:
        page.get_by_role("link", name=tr("Download the Annex 1 PDF")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"

    # 7. upload the stamped scan and submit
    page.locator("#id_scan-file").set_input_files(scan)
    page.get_by_role("button", name=tr("Upload the scan")).click()
    expect(page.get_by_role("status").filter(has_text=tr("Stamped scan uploaded."))).to_be_visible()
    screenshot_phone(page, "application-edit")
    page.get_by_role("button", name=tr("Submit the application")).click()

    # 8. the status page
    expect(page).to_have_url(re.compile(rf"/applications/{application.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(application.number)
    expect(page.get_by_role("main")).to_contain_text(tr("submitted"))
    check_accessibility(page)
    screenshot_phone(page, "application-status")
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.attachments.filter(kind=Attachment.Kind.STAMPED_SCAN).exists()
