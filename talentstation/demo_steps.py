"""Steps later apps add to the demo district of ``manage.py load_demo``.

The district itself (units, calls, applications, stations) is loaded by ``stations.demo``; an
app that builds on it (operations, assessment cycles, outcomes) registers a step in its
``AppConfig.ready()``::

    register_demo_step("assessments.operations", load_operations, order=10)

Each step is called with the loaded ``District`` (its ``today``, ``users``, ``units``, ``at(day)``
to run events on their dates, ``staff``…) inside the same transaction, in ``order``.
"""

_steps: dict[str, tuple[int, object]] = {}


def register_demo_step(name, step, *, order=0):
    _steps[name] = (order, step)


def demo_steps():
    """The registered steps, in their order (then by name)."""
    return [
        step for name, (order, step) in sorted(_steps.items(), key=lambda kv: (kv[1][0], kv[0]))
    ]
