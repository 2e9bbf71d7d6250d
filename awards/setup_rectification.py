"""What the rectification part of the awards app registers with the core: its demo step
(order 42: the demo's closed cycle's station below the pass mark gets its order, issued)."""


def register():
    from talentstation.demo_steps import register_demo_step

    from .demo_rectification import load_rectification

    register_demo_step("awards.rectification", load_rectification, order=42)
