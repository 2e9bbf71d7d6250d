"""The xlsx exports of the staff lists in awards: the awards with their payments and usage
reports, and the rectification orders — the rows of the list pages, in their order, the money
with thousands separators. A constant number of queries whatever the number of rows; the texts
in Chinese whatever the page's language."""

from django.utils import timezone, translation

from talentstation.spreadsheets import (
    DATE_FORMAT,
    MONEY_FORMAT,
    Column,
    dated_filename,
    list_export,
)

AWARD_TITLE = "优秀驿站奖励经费发放及使用情况"
AWARD_COLUMNS = [
    Column("序号", 6),
    Column("驿站名称", 26),
    Column("设站单位", 26),
    Column("考核周期", 22),
    Column("优秀名次", 8),
    Column("奖励金额（元）", 14, MONEY_FORMAT),
    Column("状态", 10),
    Column("支付日期", 12, DATE_FORMAT),
    Column("实付金额（元）", 14, MONEY_FORMAT),
    Column("收款单位", 26),
    Column("凭证号", 16),
    Column("使用报告", 12),
    Column("报告截止日期", 12, DATE_FORMAT),
    Column("报告逾期", 8),
]

RECTIFICATION_TITLE = "人才驿站整改情况"
RECTIFICATION_COLUMNS = [
    Column("序号", 6),
    Column("驿站名称", 26),
    Column("设站单位", 26),
    Column("考核周期", 22),
    Column("得分", 8, "0.00"),
    Column("通知书编号", 18),
    Column("下达日期", 12, DATE_FORMAT),
    Column("整改期限", 12, DATE_FORMAT),
    Column("状态", 12),
    Column("报告提交日期", 12, DATE_FORMAT),
    Column("报告逾期", 8),
    Column("复查日期", 12, DATE_FORMAT),
    Column("撤销日期", 12, DATE_FORMAT),
]


def _yes_no(value):
    return "是" if value else "否"


def _date(moment):
    return timezone.localdate(moment) if moment else None


def awards_export(rows, filters=()):
    """``rows``: :func:`awards.funds.award_rows` of the list's awards."""
    with translation.override("zh-hans"):
        values = []
        for number, row in enumerate(rows, start=1):
            award, report = row.award, row.report
            values.append(
                [
                    number,
                    award.station.name,
                    award.station.host_unit.name,
                    str(award.entry.ranking.cycle),
                    award.entry.rank,
                    award.amount_due,
                    award.get_status_display(),
                    award.paid_on,
                    award.amount_paid,
                    award.payee_name,
                    award.voucher_reference,
                    report.get_status_display() if report else "",
                    award.report_due,
                    _yes_no(row.late),
                ]
            )
        data = list_export(AWARD_TITLE, AWARD_COLUMNS, values, filters=filters)
    return data, dated_filename(AWARD_TITLE)


def rectification_export(orders, filters=()):
    with translation.override("zh-hans"):
        values = [
            [
                number,
                order.station.name,
                order.station.host_unit.name,
                str(order.assessment.cycle) if order.assessment_id else "",
                order.score,
                order.notice_number,
                order.issued_on,
                order.deadline,
                order.get_status_display(),
                _date(order.reported_at),
                _yes_no(order.report_late),
                order.inspected_on,
                order.revoked_on,
            ]
            for number, order in enumerate(orders, start=1)
        ]
        data = list_export(RECTIFICATION_TITLE, RECTIFICATION_COLUMNS, values, filters=filters)
    return data, dated_filename(RECTIFICATION_TITLE)
