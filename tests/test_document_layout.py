"""The layout of the official documents, looked at as printed: Annex 1 on one page, no stray
rules, the unit's name on its line, no character orphaned on a line of its own.

The PDFs are rendered to images (poppler's pdftoppm) and to text laid out as on the page
(pdftotext -layout): what the reader sees, not what the template says.
"""

import datetime
import io
import re
import subprocess
import tempfile
from pathlib import Path

import pypdf
import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from PIL import Image

from stations.documents import annex1_pdf, certificate_pdf, meta_line
from stations.models import Station, StationType
from talentstation.documents import render_pdf, words
from talentstation.models import Publicity, PublicityItem

from .factories import ApplicationFactory, HostUnitFactory

UNIT_NAME = "福建海西智能制造科技股份有限公司"

# An ordinary application, as a unit of the district fills it in: every row answered in a few
# sentences.
ORDINARY = {
    "station_name": "福州高新区海西智能制造人才驿站",
    "leader_name": "林晓东",
    "leader_mobile": "13805912345",
    "leader_email": "linxiaodong@haixi-tech.com.cn",
    "relies_on_host": False,
    "address": "福州市闽侯县上街镇高新大道8号海西高新技术产业园创新楼3层",
    "area_m2": "325.50",
    "staffing": (
        "配备专职服务人员2名、兼职人员3名，其中硕士研究生1名，均具有3年以上人力资源或项目服务经验。"
    ),
    "rules_and_hardware": (
        "已建立资产管理、人员考勤、经费使用、活动组织及人才服务台账等制度并上墙公示；设有项目"
        "展示区、政策宣传区和洽谈室，配备投影仪、电脑、打印机和宽带网络等设备，常备政策宣传"
        "手册供人才取阅。"
    ),
    "activities": (
        "2025年以来举办“闽都人才沙龙”“智能制造创新论坛”等学术交流和创新创业活动8场，邀请"
        "高校专家、企业高管和投资机构代表分享经验，累计服务人才326人次；协助12名人才办理落户、"
        "子女入学和人才公寓申请等事项，帮助3个人才团队对接天使投资，其中1个项目获得融资500"
        "万元。"
    ),
    "talent_recommendations": (
        "推荐本企业研发总监王明入选2025年福建省引进高层次人才C类，推荐博士李华入选福州市"
        "“榕城英才”计划，均已获批。"
    ),
}

OPINION = "经审核，该驿站场地、人员配备和管理制度符合建站条件，同意认定为“人才驿站”。"

# The longest texts the forms accept.
LONG = {
    "staffing": ("专职服务人员2名，兼职人员3名，均具有人力资源服务经验；" * 12)[:300],
    "rules_and_hardware": (
        "建立资产管理、考勤、经费使用及活动制度并上墙公示；配备投影仪、电脑和网络。" * 20
    )[:600],
    "activities": (
        "举办“闽都人才沙龙”，邀请高校专家和企业代表交流人才需求，服务人才86人次。\n" * 30
    )[:1000],
    "talent_recommendations": ("推荐1人入选福建省引进高层次人才C类，已获批；" * 30)[:500],
}


def page_count(pdf):
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def pages_text(pdf):
    """The text of each page without whitespace, cell by cell (pypdf reads the cells in order)."""
    return [
        re.sub(r"\s+", "", page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages
    ]


def layout_text(pdf):
    """The text of each page as laid out (pdftotext -layout): one string a page."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return text.split("\f")[: page_count(pdf)]


def page_images(pdf, dpi=72):
    """Each page as a greyscale image (pdftoppm)."""
    with tempfile.TemporaryDirectory() as directory:
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-", f"{directory}/page"],
            input=pdf,
            check=True,
        )
        paths = sorted(Path(directory).glob("page-*.png"), key=lambda path: int(path.stem[5:]))
        return [Image.open(path).convert("L") for path in paths]


def dark_runs(values, min_length):
    """(start, end) of the runs of dark pixels in ``values`` at least ``min_length`` long."""
    runs, start = [], None
    for index, value in enumerate([*values, 0]):
        if value and start is None:
            start = index
        elif not value and start is not None:
            if index - start >= min_length:
                runs.append((start, index))
            start = None
    return runs


def loose_vertical_rules(image):
    """Vertical rules (10 mm or longer) whose lower end meets no horizontal rule across the page:
    a border running on below the last row of a table. Returns (x, top, bottom) of each."""
    dark = image.point(lambda value: 255 if value < 200 else 0)
    width, height = dark.size

    def count(box):
        return dark.crop(box).histogram()[255]

    rules = [y for y in range(height) if count((0, y, width, y + 1)) > width // 3]
    loose = []
    for x in range(width):
        if count((x, 0, x + 1, height)) < height // 20:
            continue
        column = dark.crop((x, 0, x + 1, height)).tobytes()
        for top, bottom in dark_runs(column, min_length=height // 30):
            if not any(abs(bottom - y) <= 3 for y in rules):
                loose.append((x, top, bottom))
    return loose


@pytest.fixture
def ordinary(db):
    return ApplicationFactory(
        stamped_scan=False, host_unit=HostUnitFactory(name=UNIT_NAME), **ORDINARY
    )


def with_opinion(application):
    application.submitted_at = datetime.datetime(2026, 7, 14, 2, 30, tzinfo=datetime.UTC)
    application.office_opinion = OPINION
    application.office_opinion_date = datetime.date(2026, 10, 20)
    return application


@pytest.mark.django_db
@pytest.mark.parametrize("opinion", [False, True], ids=["draft", "with the opinion"])
def test_an_ordinary_annex1_fits_one_page_with_the_opinion_row_and_the_note(ordinary, opinion):
    if opinion:
        with_opinion(ordinary)

    pdf = annex1_pdf(ordinary)

    assert page_count(pdf) == 1
    page = pages_text(pdf)[0]
    for text in [*ORDINARY.values(), "高新区人才办意见", "公章", "备注："]:
        if isinstance(text, str):
            assert re.sub(r"\s+", "", text).replace(".50", ".5") in page, text
    if opinion:
        assert OPINION in page and "2026年10月20日" in page
    assert not loose_vertical_rules(page_images(pdf)[0])


def push_the_last_row(application):
    """Lengthen the activities line by line until the talent office's row no longer fits page 1
    (the shortest such text: the row is moved whole to page 2, the table ends early on page 1)."""
    base, line = application.activities, "举办人才沙龙1场，服务人才30人次。"
    low, high = 0, 40
    while low < high:
        middle = (low + high) // 2
        application.activities = "\n".join([base] + [line] * middle)
        if page_count(annex1_pdf(application)) > 1:
            high = middle
        else:
            low = middle + 1
    application.activities = "\n".join([base] + [line] * low)
    return annex1_pdf(application)


@pytest.mark.django_db
def test_no_border_runs_on_below_the_table_when_its_last_row_moves_to_the_next_page():
    pdf = push_the_last_row(ApplicationFactory(stamped_scan=False))

    first, second = layout_text(pdf)[:2]
    assert "推荐人员入选" in first and "高新区人才办" not in first
    assert second.split()[0].startswith("高新区人才办")
    for image in page_images(pdf):
        assert not loose_vertical_rules(image)


@pytest.mark.django_db
def test_the_longest_answers_flow_onto_further_pages_in_order(ordinary):
    for field, text in LONG.items():
        setattr(ordinary, field, text)
    with_opinion(ordinary)

    pdf = annex1_pdf(ordinary)

    pages = layout_text(pdf)
    assert 2 <= len(pages) <= 4
    # The short rows all on page 1, the texts in order, each page closed by its footer.
    assert all(label in pages[0] for label in ["驿站名称", "负责人姓名", "坐落地址", "场地面积"])
    body = "".join(re.sub(r"申报编号[^—]*—\d+—$", "", text) for text in pages_text(pdf))
    positions = [body.find(re.sub(r"\s+", "", text)) for text in LONG.values()]
    assert -1 not in positions and positions == sorted(positions)
    assert body.find(OPINION) > positions[-1]
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"申报编号 {ordinary.number} · 第1版\s+—\s*{number}\s*—\s*$", page)
    for image in page_images(pdf):
        assert not loose_vertical_rules(image)


def meta_lines(pdf):
    """The lines of the 报送单位 line (and what wraps under it) up to the table."""
    lines = layout_text(pdf)[0].splitlines()
    start = next(n for n, line in enumerate(lines) if "报送单位（盖章）：" in line)
    end = next(n for n, line in enumerate(lines) if "驿站名称" in line)
    return [line.strip() for line in lines[start:end] if line.strip()]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        UNIT_NAME,
        "福州高新区人力资源服务有限公司",
        "福建省福州高新技术产业开发区海西智能制造科技股份有限公司",
        "中国电信股份有限公司福州高新技术产业开发区分公司",
    ],
    ids=["beside the blank date", "short", "alone, shrunk", "alone"],
)
def test_the_unit_name_stays_on_one_line(name):
    application = ApplicationFactory(stamped_scan=False, host_unit=HostUnitFactory(name=name))

    lines = meta_lines(annex1_pdf(application))

    assert lines[0].startswith(f"报送单位（盖章）：{name}")
    assert all(re.fullmatch(r"年\s+月\s+日", line) for line in lines[1:])


@pytest.mark.django_db
def test_a_name_too_long_for_the_line_wraps_between_its_words():
    name = (
        "福州大学国家大学科技园（福州高新区）海西人才服务中心有限公司"
        "及其下属的人力资源研究院附属创新创业孵化器"
    )
    application = ApplicationFactory(stamped_scan=False, host_unit=HostUnitFactory(name=name))

    lines = meta_lines(annex1_pdf(application))

    assert (
        lines[0] == "报送单位（盖章）：福州大学国家大学科技园（福州高新区）海西人才服务中心有限公司"
    )
    assert lines[1] == "及其下属的人力资源研究院附属创新创业孵化器"
    assert re.fullmatch(r"年\s+月\s+日", lines[2])


def test_a_unit_name_is_cut_into_words_that_join_up_again():
    name = "福建省福州高新技术产业开发区海西智能制造科技股份有限公司（筹）"

    assert "".join(words(name)) == name
    assert words(name) == [
        "福建省",
        "福州",
        "高新技术产业开发区",
        "海西",
        "智能",
        "制造",
        "科技",
        "股份有限公司",
        "（筹）",
    ]
    assert words("") == []
    assert words("福州高新区人才驿站拟认定名单公示") == [
        "福州",
        "高新区",
        "人才驿站",
        "拟认定",
        "名单",
        "公示",
    ]
    # No word of one character: 「的」 goes with the next word, a last 「示」 with the one before.
    assert words("关于拟认定名单的公示") == ["关于", "拟认定", "名单", "的公示"]
    assert words("某某站") == ["某某站"]
    assert words("福州高新区站") == ["福州", "高新区站"]


def test_the_unit_name_shrinks_before_it_leaves_the_date_or_wraps():
    assert meta_line("测试单位1有限公司")["font_size"] == 12
    assert meta_line("测试单位1有限公司")["date_beside"] is True
    shrunk = meta_line(UNIT_NAME)  # 16 characters beside the blank date
    assert 10.5 <= shrunk["font_size"] < 12 and shrunk["date_beside"] is True
    assert meta_line(UNIT_NAME, "2026年7月14日")["font_size"] == 12  # a date is narrower
    alone = meta_line("福州高新区海西智能制造科技股份有限公司")
    assert alone == {
        "font_size": 12,
        "date_beside": False,
        "words": ["福州高新区海西智能制造科技股份有限公司"],
    }
    shrunk_alone = meta_line("福建省福州高新技术产业开发区海西智能制造科技股份有限公司")
    assert 10.5 <= shrunk_alone["font_size"] < 12 and shrunk_alone["date_beside"] is False
    wrapped = meta_line("福建省福州高新技术产业开发区海西智能制造科技股份有限公司" * 2)
    assert wrapped["font_size"] == 10.5 and len(wrapped["words"]) == 16


# A line that is one character, perhaps with punctuation: 「的」, 「示」, 「日）。」.
ORPHAN = re.compile(r"[\u3400-\u9fff][^\w\s]*")


def orphans(text):
    return [line.strip() for line in text.splitlines() if ORPHAN.fullmatch(line.strip())]


def certified_station(unit_name, station_name, address="福州市闽侯县上街镇高新大道8号创新园A座"):
    return Station.objects.create(
        name=station_name,
        host_unit=HostUnitFactory(name=unit_name),
        station_type=StationType.INDUSTRY,
        status=Station.Status.CERTIFIED,
        certified_on=datetime.date(2026, 11, 5),
        plaque_number="FZGX-RCYZ-2026-001",
        address=address,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("unit_name", "station_name"),
    [
        (UNIT_NAME, "福州高新区海西智能制造人才驿站"),
        ("福州大学国家大学科技园发展有限公司", "福州大学科技园人才驿站"),
        ("测试单位1有限公司", "测试人才驿站"),
    ],
    ids=["16 characters", "17 characters", "short"],
)
def test_the_certificate_sets_each_name_whole_on_its_line_and_orphans_nothing(
    unit_name, station_name
):
    pdf = certificate_pdf(certified_station(unit_name, station_name))

    assert page_count(pdf) == 1
    (text,) = layout_text(pdf)
    lines = [line.strip() for line in text.splitlines()]
    assert not orphans(text)
    assert any(line.endswith(f"{unit_name}设立的") for line in lines), lines
    assert station_name in lines
    assert "为福州高新区人才驿站（行业型），特发此证。" in lines


@pytest.mark.django_db
def test_the_longest_names_and_address_still_fit_the_certificate_in_balanced_lines():
    unit_name = (
        "福州大学国家大学科技园（福州高新区）海西人才服务中心有限公司"
        "及其下属的人力资源研究院附属创新创业孵化器"
    )
    station_name = "福州大学国家大学科技园（福州高新区）海西人才服务中心人才驿站"
    address = ("福州市闽侯县上街镇高新大道8号海西高新技术产业园创新楼3层" * 10)[:300]

    pdf = certificate_pdf(certified_station(unit_name, station_name, address))

    assert page_count(pdf) == 1
    (text,) = layout_text(pdf)
    lines = [line.strip() for line in text.splitlines()]
    assert not orphans(text)
    assert "福州大学国家大学科技园（福州高新区）" in lines
    assert "海西人才服务中心人才驿站" in lines
    assert lines[-1].endswith("2026年11月5日")  # the issuer's date at the foot, not cut off


def running_publicity(title):
    publicity = Publicity.objects.create(
        purpose="new_stations",
        title=title,
        basis=(
            "根据《福州高新区人才驿站管理办法（试行）》第十条，经单位申报、资格审查、专家评审和"
            "领导小组审议，拟认定以下单位设立的驿站为福州高新区人才驿站，现予以公示。"
        ),
        contact="联系电话：0591-22222222\n地址：福州高新区人力资源和社会保障局（高新大道8号）",
        status=Publicity.Status.RUNNING,
        start_date=datetime.date(2026, 9, 28),
        working_days=5,
        first_day=datetime.date(2026, 9, 28),
        last_day=datetime.date(2026, 10, 9),
    )
    station = certified_station(UNIT_NAME, ORDINARY["station_name"])
    PublicityItem.objects.create(
        publicity=publicity,
        content_type=ContentType.objects.get_for_model(Station),
        object_id=station.pk,
        name=station.name,
        description=f"{UNIT_NAME}设立，行业型",
    )
    return publicity


def notice_pdf(publicity):
    context = {"publicity": publicity, "items": publicity.items.all()}
    return render_pdf("publicity/notice_pdf.html", context)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("title", "title_lines"),
    [
        (
            "2026年度福州高新区人才驿站拟认定名单公示",
            ["2026年度福州高新区", "人才驿站拟认定名单公示"],
        ),
        ("福州高新区人才驿站拟认定名单公示", ["福州高新区人才驿站拟认定名单公示"]),
        (
            "关于公布2026年度福州高新区优秀人才驿站考核结果及奖励资金拨付安排的公示",
            ["关于公布2026年度福州高新区优秀人才驿站", "考核结果及奖励资金拨付安排的公示"],
        ),
    ],
    ids=["two lines", "one line", "long"],
)
def test_the_notice_title_is_balanced_between_words_and_nothing_is_orphaned(title, title_lines):
    pdf = notice_pdf(running_publicity(title))

    lines = [line.strip() for line in layout_text(pdf)[0].splitlines() if line.strip()]
    assert lines[: len(title_lines)] == title_lines
    assert not orphans(layout_text(pdf)[0])


@pytest.mark.django_db
def test_the_notice_names_the_online_objection_form_beside_the_other_ways(settings):
    settings.SITE_URL = "https://rencai.example.gov.cn"
    publicity = running_publicity("2026年度福州高新区人才驿站拟认定名单公示")

    text = re.sub(r"\s+", "", layout_text(notice_pdf(publicity))[0])

    form_url = "https://rencai.example.gov.cn" + reverse("publicity_detail", args=[publicity.pk])
    assert f"网上异议表：{form_url}" in text
    assert "书面、来电或来访：联系电话：0591-22222222" in text
