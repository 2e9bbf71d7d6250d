import pytest
from django.apps import apps
from django.core.management import call_command

from stations.models import Call, HostUnit, Station, StationType
from talentstation.roles import Role


def counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("talentstation", "stations", "auth")
    }


@pytest.mark.django_db
def test_demo_data_loads_and_loading_twice_changes_nothing(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    output = capsys.readouterr().out
    for role in Role:
        assert str(role.label) in output


@pytest.mark.django_db
def test_demo_data_covers_what_the_issue_asks(settings):
    settings.DEBUG = True
    call_command("load_demo")
    assert set(Station.objects.values_list("station_type", flat=True)) == set(StationType.values)
    assert HostUnit.objects.needing_code_confirmation().count() == 1
    assert HostUnit.objects.exclude(code_state="unconfirmed").count() >= 3
    call = Call.objects.get()
    assert call.is_open()
    call.clean()  # a reason is recorded whenever the call lies outside Q3


@pytest.mark.django_db
def test_demo_refuses_in_production(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")
