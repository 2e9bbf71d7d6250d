"""What the funds part of the awards app registers with the core (publicity purposes, page
transitions, demo steps, start pages), called from AwardsConfig.ready(): the staff's accept
and return buttons of a usage report, and the demo step paying the demo awards (order 41,
after the ranking step has published the demo ranking)."""


def register():
    from talentstation.demo_steps import register_demo_step
    from talentstation.views_workflow import register_page_transitions

    from . import rules
    from .demo_funds import load_funds

    register_page_transitions(
        "awards.usagereport", {"accept", "return_report"}, visible=rules.view_usage_report
    )
    register_demo_step("awards.funds", load_funds, order=41)
