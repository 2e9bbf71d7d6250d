"""django-fsm-2 and the migrations' model states.

Each ``FSMField`` connects a receiver to ``class_prepared`` when it is added to a model class,
to collect that class's transition methods. The migrations render a copy of every model for
each state they pass through, so the receivers pile up (they live as long as those copies)
and every model class prepared later calls all of them: ``migrate`` on a new database took
over three minutes on SQLite, most of it there. The rendered copies have no methods, so they
have no transitions to collect: :func:`collect_transitions_of_real_models_only` disconnects
the receiver again for a model of any registry but the project's own. ``migrate`` then takes
about 20 seconds (``make run`` the first time, and each test database).
"""

from django.apps import apps as project_apps
from django.db.models.signals import class_prepared
from django_fsm import FSMFieldMixin

_contribute = FSMFieldMixin.contribute_to_class


def _contribute_to_class(self, cls, name, private_only=False, **kwargs):
    _contribute(self, cls, name, private_only=private_only, **kwargs)
    if cls._meta.apps is not project_apps:
        class_prepared.disconnect(self._collect_transitions)


def collect_transitions_of_real_models_only():
    """Install the wrapper (once; called from ``TalentStationConfig.ready``)."""
    if FSMFieldMixin.contribute_to_class is not _contribute_to_class:
        FSMFieldMixin.contribute_to_class = _contribute_to_class
