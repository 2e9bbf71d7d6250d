"""What the ranking part of the awards app registers with the core (publicity purposes, page
transitions, demo steps, start pages), called from AwardsConfig.ready()."""


def register():
    from stations import public_badges
    from talentstation.demo_steps import register_demo_step
    from talentstation.views_workflow import register_page_transitions

    from . import ranking, rules
    from .demo_ranking import load_ranking
    from .publicity import register_purpose

    register_purpose()
    register_page_transitions("awards.ranking", {"reopen"}, visible=rules.view_rankings)
    public_badges.register(ranking.excellent_titles)
    register_demo_step("awards.ranking", load_ranking, order=40)
