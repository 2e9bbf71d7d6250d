"""Readable running numbers (policy versions, application numbers, later plaque numbers).

The number column is unique; two saves computing the same next number at once collide on it,
and the loser takes the one after.
"""

from django.db import IntegrityError, transaction

ATTEMPTS = 5


def save_with_next_number(instance, assign, save):
    """Call ``assign()`` to set the next number on ``instance``, then ``save()``; repeat with a
    fresh number when another transaction took it first."""
    for attempt in range(ATTEMPTS):
        assign()
        try:
            with transaction.atomic():
                save()
            return
        except IntegrityError:
            instance.pk = None
            if attempt == ATTEMPTS - 1:
                raise
