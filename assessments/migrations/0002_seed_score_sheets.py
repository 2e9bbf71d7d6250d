"""The first active score sheets, from 榕高新区人社规〔2024〕2号.

- 建站专家评审: the conditions of Art. 6–8, as eight items whose maximums sum to 100;
- 驿站考核（附件2）: the five items of Annex 2 with their official tiers, best first.

The measures give tiers but no points: the points below are the first configuration, kept only
here as seed data. Staff change them by making a new version in admin, never in code.
"""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

POLICY = "榕高新区人社规〔2024〕2号"

APPLICATION_REVIEW = {
    "name": "人才驿站建站专家评审评分表",
    "note": f"初始版本：依据{POLICY}第六条至第八条建站条件设置评分项，满分100分。",
    "items": [
        {
            "title": "选址条件",
            "description": (
                "第六条（一）（二）：坐落在交通便利、便于联系和服务人才的场所；周边地区有较密集的"
                "产业资源，具有较好的技术创新承接实力和科研基础，在技术攻关、项目合作、成果转化、"
                "技术咨询、人才培养等方面需求较大，具有较强的辐射效应。"
            ),
            "tiers": [
                ("坐落在交通便利、便于联系和服务人才的场所，周边产业资源密集，辐射效应较强", 10),
                ("交通较为便利，周边有一定的产业资源", 5),
                ("交通不便，周边缺乏产业资源", 0),
            ],
        },
        {
            "title": "场地与设施",
            "description": (
                "第六条（三）（四）：具备开展人才活动的基本条件，能提供空间大小合适、相对独立的"
                "场地；设立项目展示和人才政策宣传专区，配备网络、多媒体及大屏幕投影等会议必备"
                "基础设施设备。"
            ),
            "tiers": [
                (
                    "场地空间大小合适、相对独立，设立项目展示和人才政策宣传专区，配备网络、多媒体"
                    "及大屏幕投影等会议必备基础设施设备",
                    15,
                ),
                ("具备开展人才活动的基本场地，但宣传专区或会议设施设备不齐全", 8),
                ("不具备开展人才活动的基本条件", 0),
            ],
        },
        {
            "title": "依托机构保障",
            "description": (
                "第七条（一）：高度重视人才引进、人才服务工作，具备开展人才交流、人才服务活动的"
                "场地、设施等条件，能够提供相应的驿站建设配套资金，能为驿站的日常运行提供经费保障。"
            ),
            "tiers": [
                (
                    "高度重视人才引进、人才服务工作，能够提供驿站建设配套资金，能为驿站日常运行"
                    "提供经费保障",
                    15,
                ),
                ("重视人才工作，但建设配套资金或日常运行经费保障不足", 8),
                ("无驿站建设配套资金和日常运行经费保障", 0),
            ],
        },
        {
            "title": "运营管理能力",
            "description": (
                "第七条（二）（三）：有能力全面负责驿站日常建设和管理，研究制定人才驿站建设管理"
                "细则和发展计划，确保驿站顺利开展各类人才活动；有主体经营发展业务，优选以招商引资、"
                "招才引智为主要业务的机构。由专家综合评估打分。"
            ),
            "max_points": 10,
        },
        {
            "title": "专家资源",
            "description": (
                "第七条（四）：有一定数量建立对接联系、开展项目合作的专家群体，能定期开展专家交流"
                "对接活动，具有较好的示范带动效应。"
            ),
            "tiers": [
                (
                    "有一定数量建立对接联系、开展项目合作的专家群体，能定期开展专家交流对接活动，"
                    "示范带动效应较好",
                    10,
                ),
                ("有合作专家，但未定期开展专家交流对接活动", 5),
                ("无对接联系的专家群体", 0),
            ],
        },
        {
            "title": "规章制度与服务体系",
            "description": (
                "第七条（五）：规章制度较为完备，具有相应的管理机构、服务体系和管理服务人员队伍，"
                "能为技术攻关、项目合作、成果转化、技术咨询、人才培养等提供支持措施和服务平台。"
            ),
            "tiers": [
                (
                    "规章制度较为完备，具有相应的管理机构、服务体系和管理服务人员队伍，能提供支持"
                    "措施和服务平台",
                    10,
                ),
                ("规章制度或服务体系不够完善", 5),
                ("未制定相应规章制度，无服务体系", 0),
            ],
        },
        {
            "title": "活动开展与人才服务",
            "description": "第七条（六）：每年至少举办4场活动，服务人才人数不少于50人次。",
            "tiers": [
                ("每年举办4场以上活动，且服务人才50人次以上", 20),
                ("每年举办1-3场活动，或服务人才不足50人次", 10),
                ("未开展人才活动", 0),
            ],
        },
        {
            "title": "人员配备",
            "description": (
                "第八条：配备一支擅长策划与承办活动、沟通交流和贴心服务的管理团队；配备有专兼职"
                "人员开展多样化的人才服务，能够调配力量承担人才活动等后勤保障工作。"
            ),
            "tiers": [
                (
                    "配备一支擅长策划与承办活动、沟通交流和贴心服务的管理团队，并配备专兼职人员"
                    "开展多样化的人才服务",
                    10,
                ),
                ("配备管理团队或专兼职服务人员，但不齐全", 5),
                ("未配备管理团队及专兼职服务人员", 0),
            ],
        },
    ],
}

STATION_ASSESSMENT = {
    "name": "福州高新区人才驿站考核表",
    "note": (
        f"初始版本：{POLICY}附件2的考核内容和考核标准（原文未定分值，分值为可配置数据），"
        "满分100分。"
    ),
    "items": [
        {
            "title": "场地配备",
            "tiers": [
                ("设立项目展示和人才政策宣传专区，分发政策宣传单等", 20),
                ("未设立项目展示和人才政策宣传专区，分发政策宣传单等", 0),
            ],
        },
        {
            "title": "人员配备",
            "tiers": [
                (
                    "配备一支擅长策划与承办活动、提供全方位人才服务的管理团队；配有2名以上"
                    "专（兼）职人员开展人才服务",
                    20,
                ),
                ("配备一支管理团队；配有1名专（兼）职人员开展人才服务", 10),
                ("未配备一支管理团队及专（兼）职人员开展人才服务", 0),
            ],
        },
        {
            "title": "制度建设",
            "tiers": [
                ("有健全的资产管理制度、人员考勤制度、经费使用制度和举办活动的规则和办法", 20),
                ("资产管理、人员考勤、经费使用制度和举办活动的规则和办法不完善", 10),
                ("未指定相应制度及办法", 0),
            ],
        },
        {
            "title": "开展活动",
            "tiers": [
                ("每年开展5场以上学术交流、创业对接等人才活动", 20),
                ("每年开展1-4场学术交流、创业对接等人才活动", 10),
                ("未开展人才活动", 0),
            ],
        },
        {
            "title": "人才服务",
            "tiers": [
                ("每年服务人才100人次以上", 20),
                ("每年服务人才50-99人次", 10),
                ("每年服务人才不足50人次", 0),
            ],
        },
    ],
}

SEEDS = {
    "application_review": APPLICATION_REVIEW,
    "station_assessment": STATION_ASSESSMENT,
}


def seed(apps, schema_editor):
    Template = apps.get_model("assessments", "ScoreSheetTemplate")
    Item = apps.get_model("assessments", "ScoreItem")
    Tier = apps.get_model("assessments", "ScoreTier")
    now = timezone.now()
    for purpose, sheet in SEEDS.items():
        if Template.objects.filter(purpose=purpose).exists():
            continue
        template = Template.objects.create(
            name=sheet["name"],
            purpose=purpose,
            version=1,
            status="active",
            note=sheet["note"],
            created_at=now,
            activated_at=now,
        )
        maximum = Decimal("0")
        for order, spec in enumerate(sheet["items"], start=1):
            tiers = spec.get("tiers")
            item = Item.objects.create(
                template=template,
                order=order,
                title=spec["title"],
                description=spec.get("description", ""),
                kind="tiers" if tiers else "range",
                weight=Decimal("1"),
                max_points=None if tiers else Decimal(spec["max_points"]),
            )
            for tier_order, (label, points) in enumerate(tiers or [], start=1):
                Tier.objects.create(
                    item=item, order=tier_order, label=label, points=Decimal(points)
                )
            maximum += max(Decimal(p) for _label, p in tiers) if tiers else item.max_points
        if maximum != Decimal("100"):  # pragma: no cover - a mistake in the seed data
            raise ValueError(f"{sheet['name']}: the maximum is {maximum}, not 100")


def unseed(apps, schema_editor):
    Template = apps.get_model("assessments", "ScoreSheetTemplate")
    Sheet = apps.get_model("assessments", "ScoreSheet")
    seeded = Template.objects.filter(version=1, purpose__in=SEEDS)
    if not Sheet.objects.filter(template__in=seeded).exists():
        for template in seeded:
            template.items.all().delete()
        seeded.delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
