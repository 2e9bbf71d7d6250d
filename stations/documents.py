"""Official documents of the stations app: Annex 1 「福州高新区“人才驿站”建站申报表」."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote

from talentstation.dates import SHANGHAI
from talentstation.documents import render_pdf

from .models import StationType

ANNEX1_TEMPLATE = "stations/documents/annex1.html"

# The official Chinese names of the four types (备注 of Annex 1), whatever the UI language.
STATION_TYPE_LABELS = {
    StationType.INDUSTRY: "行业型",
    StationType.ENTREPRENEURSHIP: "创业型",
    StationType.SERVICE: "服务型",
    StationType.COMPREHENSIVE: "综合型",
}


def chinese_date(day):
    """``2026年7月5日``, or ``None`` for no date (the template then leaves 年 月 日 blank)."""
    if day is None:
        return None
    return f"{day.year}年{day.month}月{day.day}日"


def plain_number(value):
    """A Decimal (or int) without trailing zeros: 260.00 → "260", 85.50 → "85.5"."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def yes_no(value):
    return {True: "是", False: "否"}.get(value, "")


# The 报送单位（盖章） line of Annex 1: the unit's name stays on one line, as on a printed form. It
# is set at 小四 (12 pt) and shrinks down to 五号 (10.5 pt) to stay beside the date; a name too long
# for that goes on the line alone (the date under it), and only a name too long for the whole line
# wraps, between the words of the name.
META_LINE_PT = 156 / 25.4 * 72  # the type area's width
META_FONT_PT = 12
META_MIN_FONT_PT = 10.5
META_LABEL = "报送单位（盖章）："
META_BLANK_DATE = "　　　年　　月　　日"
META_GAP_PT = 6 / 25.4 * 72
META_SAFETY = 0.97  # the widths below are estimates: keep a margin

# Words that organisation names are made of (region, trade, organisational form, after the naming
# rules for enterprises): a long name wraps only between them, never inside one. What lies between
# two of them (the trade name, 字号) is a word of its own.
_NAME_WORDS_TEXT = """
    福建省 福建 福州市 福州 闽侯县 闽侯 高新技术产业开发区 高新区 开发区 上街镇 南屿镇 南通镇
    中国 国家 省级 市级 国际 海峡 海西 两岸
    科技 技术 信息 智能 制造 装备 生物 医药 医疗 器械 电子 软件 网络 数字 数据 新材料 材料 光电
    新能源 能源 环保 化工 机械 汽车 通信 人工智能 物联网 互联网 文化 传媒 教育 人力资源 服务 管理
    咨询 发展 投资 实业 产业 工业 创新 创业 孵化器 孵化 加速器 众创空间 科技园 产业园 大学 学院
    研究院 研究所 研究中心 实验室 中心 协会 商会 联合会 促进会 基金会 医院 事务所 工作室
    集团 控股 股份有限公司 有限责任公司 有限公司 股份公司 分公司 公司 合伙企业 有限合伙 普通合伙
"""
NAME_WORDS = sorted(_NAME_WORDS_TEXT.split(), key=len, reverse=True)
_NAME_WORD = re.compile(
    r"[（(][^）)]*[）)]|[0-9A-Za-z.&·\-]+|" + "|".join(map(re.escape, NAME_WORDS))
)


def text_em(text):
    """The estimated width of ``text`` in em: CJK characters 1, others (Latin, digits) 0.6."""
    return sum(1 if unicodedata.east_asian_width(c) in "WFA" else 0.6 for c in text)


def name_words(name):
    """``name`` cut into the words a line may break between (their concatenation is ``name``)."""
    words, start = [], 0
    for match in _NAME_WORD.finditer(name):
        if match.start() > start:
            words.append(name[start : match.start()])
        words.append(match.group())
        start = match.end()
    if start < len(name):
        words.append(name[start:])
    return words


def meta_line(unit_name, date_text=None):
    """How the 报送单位 line sets ``unit_name``: its font size, the date (``date_text``, or a blank
    to fill in) beside it or below, and the words it may wrap between (only when it does not fit
    the line at 10.5 pt)."""
    name_em = text_em(unit_name)
    date_em = text_em(date_text or META_BLANK_DATE)
    beside_pt = META_LINE_PT - (text_em(META_LABEL) + date_em) * META_FONT_PT - META_GAP_PT
    alone_pt = META_LINE_PT - text_em(META_LABEL) * META_FONT_PT
    for room_pt, date_beside in [(beside_pt, True), (alone_pt, False)]:
        fitting = room_pt * META_SAFETY / name_em if name_em else META_FONT_PT
        if fitting >= META_MIN_FONT_PT:
            size = min(META_FONT_PT, int(fitting * 2) / 2)  # in half points
            return {"font_size": size, "date_beside": date_beside, "words": [unit_name]}
    return {"font_size": META_MIN_FONT_PT, "date_beside": False, "words": name_words(unit_name)}


def annex1_context(application):
    submitted_on = chinese_date(
        application.submitted_at.astimezone(SHANGHAI).date() if application.submitted_at else None
    )
    return {
        "application": application,
        "unit_name": application.host_unit.name,
        "meta_line": meta_line(application.host_unit.name, submitted_on),
        "station_type_label": STATION_TYPE_LABELS.get(application.station_type, ""),
        "relies_on_host_label": yes_no(application.relies_on_host),
        "built_on": chinese_date(application.built_on),
        "area": plain_number(application.area_m2),
        "submitted_on": submitted_on,
        "office_opinion_date": chinese_date(application.office_opinion_date),
        "footer": f"申报编号 {application.number} · 第{application.revision}版",
    }


def annex1_pdf(application) -> bytes:
    """Annex 1 of ``application`` in the official layout, as PDF bytes."""
    return render_pdf(ANNEX1_TEMPLATE, annex1_context(application))


def annex1_filename(application) -> str:
    return f"附件1-建站申报表-{application.number}.pdf"


CERTIFICATE_TEMPLATE = "stations/documents/certificate.html"


def verification_url(station):
    """The absolute URL of the station's public verification page (the QR code's target)."""
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL + reverse("stations:verify_plaque", args=[station.plaque_number])


def qr_data_uri(url):
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def certificate_pdf(station) -> bytes:
    """The certificate 「福州高新区人才驿站」 with a QR code to the public verification page."""
    url = verification_url(station)
    context = {
        "station": station,
        "type_label": STATION_TYPE_LABELS.get(station.station_type, ""),
        "certified_on": chinese_date(station.certified_on),
        "verification_url": url,
        "verification_display": unquote(url),
        "qr": qr_data_uri(url),
    }
    return render_pdf(CERTIFICATE_TEMPLATE, context)


def certificate_filename(station) -> str:
    return f"人才驿站证书-{station.name}.pdf"
