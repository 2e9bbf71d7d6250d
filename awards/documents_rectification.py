"""The rectification notice 整改通知书 (Art. 14) as a PDF in the official A4 layout:
title, number, the unit addressed, the basis, the score, the problems per item in a bordered
table, the deadline, what to file, the issuing body and the date."""

from stations.documents import chinese_date
from talentstation.documents import render_pdf
from talentstation.models.scoring import format_points

NOTICE_TEMPLATE = "awards/documents/rectification_notice.html"
TITLE = "整改通知书"
ISSUER = "福州高新区人力资源和社会保障局"
BASIS = "《福州高新区人才驿站管理办法（试行）》（榕高新区人社规〔2024〕2号）第十四条"


def notice_context(order, problems):
    cycle = order.assessment.cycle if order.assessment_id else None
    policy = order.policy()
    return {
        "order": order,
        "title": TITLE,
        "issuer": ISSUER,
        "basis": BASIS,
        "station": order.station,
        "unit_name": order.station.host_unit.name,
        "cycle": cycle,
        "score": format_points(order.score) if order.score is not None else None,
        "pass_mark": format_points(policy.pass_mark),
        "problems": [
            {
                "item": problem.item.title if problem.item_id else "",
                "points": format_points(problem.points) if problem.points is not None else "",
                "problem": problem.problem,
                "requirement": problem.requirement,
            }
            for problem in problems
        ],
        "deadline": chinese_date(order.deadline),
        "issued_on": chinese_date(order.issued_on),
        "draft": order.status == order.Status.DRAFT,
    }


def notice_pdf(order):
    problems = list(order.problems.select_related("item"))
    return render_pdf(NOTICE_TEMPLATE, notice_context(order, problems))


def notice_filename(order):
    return f"{TITLE}-{order.station.name}-{order.notice_number or order.pk}.pdf"
