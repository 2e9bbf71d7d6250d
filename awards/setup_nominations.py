"""What the nominations part of the awards app registers with the core (page transitions of the
nomination batches, the demo batch, the site-wide admin export to Excel), called from
AwardsConfig.ready()."""


def register():
    from talentstation import admin_export
    from talentstation.demo_steps import register_demo_step
    from talentstation.views_workflow import register_page_transitions

    from . import rules
    from .demo_nominations import load_nominations

    register_page_transitions(
        "awards.nominationbatch",
        {"submit", "reopen", "record_outcomes"},
        visible=rules.view_nominations,
    )
    register_demo_step("awards.nominations", load_nominations, order=43)
    # Site-wide: every admin list offers 「导出为 Excel」 (the lead may move this call into the
    # admin site's setup; registering twice is harmless).
    admin_export.register()
