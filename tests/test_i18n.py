"""The zh-hans translation is complete: nothing untranslated, nothing fuzzy, nothing missing."""

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_po_file_has_no_untranslated_or_fuzzy_entries():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"
    assert po.metadata.get("Language") == "zh_Hans"


def test_po_file_compiles_cleanly(tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(PO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_every_string_in_the_code_is_in_the_po_file(tmp_path, monkeypatch):
    """Run makemessages on a copy of the sources with a copy of the catalogue: it must add
    nothing new. (On the real tree makemessages would write into the real catalogue.)"""
    tree = tmp_path / "tree"
    for name in ("talentstation", "stations", "assessments", "awards", "templates"):
        shutil.copytree(
            ROOT / name, tree / name, ignore=shutil.ignore_patterns("__pycache__", "migrations")
        )
    target = tree / "locale" / "zh_Hans" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(PO, target / "django.po")
    monkeypatch.chdir(tree)
    with override_settings(LOCALE_PATHS=[tree / "locale"]):
        call_command("makemessages", locale=["zh_Hans"], no_obsolete=True, verbosity=0)
    merged = polib.pofile(str(target / "django.po"))
    missing = [e.msgid for e in merged.untranslated_entries()]
    fuzzy = [e.msgid for e in merged.fuzzy_entries()]
    assert not missing, f"strings in the code without translation: {missing}"
    assert not fuzzy, f"strings whose msgid changed (now fuzzy): {fuzzy}"
    assert PO.read_bytes() == (ROOT / "locale/zh_Hans/LC_MESSAGES/django.po").read_bytes()
