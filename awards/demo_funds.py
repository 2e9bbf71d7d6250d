"""Demo step (registered in awards/setup_funds.py, order 41): the award money of the demo
ranking, from fixtures/demo_funds.yaml. After the ranking step (order 40) has published the
demo ranking with its awards: the rank-1 award is paid (a voucher reference and a small
generated PDF voucher) and its usage report filed (submitted) with a few spending lines below
the amount; the rank-2 award is paid with its report still a draft (not yet due); the rank-3
award stays to be paid. Without awards (no published ranking) the step does nothing."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from talentstation import fixtures
from talentstation.dates import SHANGHAI, today
from talentstation.workflow import perform

from . import funds
from .models import Award, UsageLine

ONE_DAY = datetime.timedelta(days=1)


def load_funds(district):
    awards = {
        award.entry.rank: award
        for award in Award.objects.select_related("station__host_unit", "entry__ranking")
        .filter(status=Award.Status.DUE, entry__ranking__status="published")
        .exclude(entry__rank=None)
    }
    if not awards:
        return
    data = fixtures.load("demo_funds.yaml")
    staff = district.staff
    for paid in data["paid"]:
        award = awards.get(paid["rank"])
        if award is None:
            continue
        # Paid some weeks after the publication (the award is created at the publication).
        published = award.created_at.astimezone(SHANGHAI).date()
        paid_on = min(published + paid["days_after_publication"] * ONE_DAY, today() - ONE_DAY)
        _pay(district, award, paid, paid_on, staff)
        # The unit's administrator is a demo login: its award, payment and report.
        district.set_demo_password(district.admin_of(award.station.host_unit))
        if paid.get("lines"):
            # Filed a little before the end of the year after the payment (Art. 19).
            _file_report(district, award, paid, today() - paid["filed_days_ago"] * ONE_DAY)


def _pay(district, award, paid, paid_on, staff):
    name, code = funds.payee_of(award.station)
    reference = paid["voucher_reference"].format(year=paid_on.year)  # the year it was paid
    voucher = ContentFile(_voucher_pdf(award, "voucher"), name="voucher.pdf")
    with district.at(paid_on, 15):
        funds.pay(
            award,
            by=staff,
            paid_on=paid_on,
            amount=award.amount_due,
            voucher_reference=reference,
            voucher_file=voucher,
            payee_name=name,
            payee_credit_code=code,
        )


def _file_report(district, award, paid, day):
    day = min(day, today() - ONE_DAY)
    report = award.usage_report
    user = award.station.host_unit.users()[0]
    report.work_summary = district.text(paid["work_summary"])
    report.attachment = ContentFile(_voucher_pdf(award, "report"), name="report.pdf")
    report.save(update_fields=["work_summary", "attachment"])
    for line in paid["lines"]:
        UsageLine.objects.create(
            report=report,
            purpose=line["purpose"],
            description=district.text(line["description"]),
            spent_on=day - line["days_before"] * ONE_DAY,
            amount=Decimal(str(line["amount"])),
            receipt=ContentFile(_voucher_pdf(award, "receipt"), name="receipt.pdf"),
        )
    with district.at(day, 11):
        perform(report, "submit", by=user)


def _voucher_pdf(award, reference):
    """A one-page PDF standing in for the scanned voucher (no rendering needed)."""
    text = f"Voucher {reference} {award.amount_due}".encode("ascii", "replace")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
        b"/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out
