"""Two people acting on the same object at once: exactly one transition wins (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from stations.models import Station
from talentstation.models import PolicyVersion, TransitionLog
from talentstation.rules import Refused
from talentstation.workflow import perform

from . import factories


def run_in_threads(count, func):
    barrier = threading.Barrier(count)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(func())
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_on_one_object_only_one_wins(staff_user):
    station = factories.StationFactory()

    def act():
        return perform(
            Station.objects.get(pk=station.pk), "not_select", by=staff_user, reason="并发"
        )

    results = run_in_threads(4, act)
    assert sum(isinstance(r, TransitionLog) for r in results) == 1
    assert sum(isinstance(r, Refused) for r in results) == 3
    assert TransitionLog.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_policy_versions_get_distinct_numbers():
    values = PolicyVersion.current().rule_values()

    def create():
        return PolicyVersion.objects.create(**values).version

    results = run_in_threads(4, create)
    assert sorted(results) == [2, 3, 4, 5], results
