"""The Polish catalogue covers every message a user can see.

The code writes English msgids; Polish is the default interface language.
A message added without a Polish translation would show up in English on a
Polish page, so these tests extract the messages from a copy of the source
tree, as `makemessages` does, and compare them with the committed
catalogue `locale/pl/LC_MESSAGES/django.po`.

To fix a failure: run
    .venv/bin/python manage.py makemessages -l pl --ignore=.venv \
        --ignore=node_modules --ignore=staticfiles --ignore=var --ignore=tests
translate the new entries (no "#, fuzzy" left), then
    .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules
"""

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR).resolve()
CATALOGUE = ROOT / "locale" / "pl" / "LC_MESSAGES" / "django.po"

POLISH_PLURAL_FORMS = (
    "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)

# A %-placeholder as Python's % operator reads it: "%(name)s", "%s", "%5.2f";
# "%%" is a literal percent sign and is skipped by matching it first.
PERCENT_PLACEHOLDER = re.compile(
    r"%%|%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
    r"(?P<conversion>[diouxXeEfFgGcrsa])"
)
BRACE_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{(?P<field>[^{}]*)\}")


def _source_dirs() -> list[str]:
    """The top-level folders whose messages the catalogue must cover: the
    project package, the templates and every local Django app.
    """
    names = {"sckis", "templates"}
    for app in apps.get_app_configs():
        path = Path(app.path).resolve()
        if path.is_relative_to(ROOT) and not path.is_relative_to(ROOT / ".venv"):
            names.add(path.relative_to(ROOT).parts[0])
    return sorted(names)


def _key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def _describe(entry: polib.POEntry) -> str:
    where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:3])
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"{context}{entry.msgid!r} ({where})"


def _placeholders(entry: polib.POEntry, text: str) -> Counter:
    found = Counter()
    if "python-format" in entry.flags or re.search(r"%\(", entry.msgid):
        for match in PERCENT_PLACEHOLDER.finditer(text):
            if match.group(0) != "%%":
                found[f"%({match['name']}){match['conversion']}"] += 1
    if "python-brace-format" in entry.flags:
        for match in BRACE_PLACEHOLDER.finditer(text):
            if match.group(0) not in ("{{", "}}"):
                found["{" + match["field"] + "}"] += 1
    return found


@pytest.fixture(scope="module")
def committed() -> polib.POFile:
    assert CATALOGUE.exists(), f"{CATALOGUE.relative_to(ROOT)} is missing"
    return polib.pofile(str(CATALOGUE))


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> polib.POFile:
    """The catalogue `makemessages -l pl` makes from the current source."""
    if shutil.which("xgettext") is None:
        pytest.skip(
            "xgettext (GNU gettext) is not on PATH, so the messages cannot be "
            "extracted: install gettext (apt-get install gettext)"
        )
    copy = tmp_path_factory.mktemp("source")
    for name in _source_dirs():
        shutil.copytree(
            ROOT / name,
            copy / name,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "locale"),
        )
    shutil.copy2(ROOT / "manage.py", copy / "manage.py")
    (copy / "locale").mkdir()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sckis.settings",
        # Extraction needs no production settings (database, secret key).
        "DJANGO_DEBUG": "true",
    }
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "pl", "-v", "1"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, (
        f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    )
    extracted = copy / "locale" / "pl" / "LC_MESSAGES" / "django.po"
    assert extracted.exists(), f"makemessages wrote no catalogue:\n{result.stdout}"
    return polib.pofile(str(extracted))


def test_every_message_has_a_polish_translation(generated, committed):
    translations = {_key(entry): entry for entry in committed if not entry.obsolete}
    untranslated = []
    for entry in generated:
        if not entry.msgid:
            continue
        found = translations.get(_key(entry))
        if found is None:
            untranslated.append(f"missing: {_describe(entry)}")
        elif found.msgid_plural != entry.msgid_plural:
            untranslated.append(f"plural changed: {_describe(entry)}")
        elif "fuzzy" in found.flags:
            untranslated.append(f"fuzzy: {_describe(entry)}")
        elif not found.translated() or (
            found.msgid_plural and len(found.msgstr_plural) != 3
        ):
            untranslated.append(f"not translated: {_describe(entry)}")

    assert not untranslated, (
        f"{len(untranslated)} message(s) have no Polish translation in "
        f"{CATALOGUE.relative_to(ROOT)} (see this test module's docstring):\n"
        + "\n".join(untranslated)
    )


def test_translations_keep_the_placeholders(committed):
    broken = []
    for entry in committed:
        if not entry.msgid or entry.obsolete:
            continue
        if entry.msgid_plural:
            expected = _placeholders(entry, entry.msgid_plural)
            singular = _placeholders(entry, entry.msgid)
            for index, text in sorted(entry.msgstr_plural.items()):
                found = _placeholders(entry, text)
                # Form 0 is used for n == 1 only: it may spell the number out.
                ok = (
                    set(found) <= set(expected) | set(singular)
                    if int(index) == 0
                    else found == expected
                )
                if text and not ok:
                    broken.append(
                        f"{_describe(entry)} msgstr[{index}] {text!r}: "
                        f"{sorted(found.elements())} instead of "
                        f"{sorted(expected.elements())}"
                    )
        elif entry.msgstr:
            expected = _placeholders(entry, entry.msgid)
            found = _placeholders(entry, entry.msgstr)
            if found != expected:
                broken.append(
                    f"{_describe(entry)} -> {entry.msgstr!r}: "
                    f"{sorted(found.elements())} instead of "
                    f"{sorted(expected.elements())}"
                )

    assert not broken, "Placeholders differ between msgid and msgstr:\n" + "\n".join(
        broken
    )


def test_catalogue_header_declares_polish_plurals(committed):
    assert committed.metadata.get("Language") == "pl"
    assert committed.metadata.get("Plural-Forms") == POLISH_PLURAL_FORMS
    assert not committed.metadata_is_fuzzy, "remove '#, fuzzy' from the header"


@pytest.mark.django_db
def test_login_page_is_in_polish(client):
    with translation.override("pl"):
        compiled = translation.gettext("Log in") != "Log in"
    assert compiled, (
        "the Polish catalogue is not compiled: run "
        "manage.py compilemessages --ignore=.venv --ignore=node_modules"
    )

    response = client.get("/logowanie/", HTTP_ACCEPT_LANGUAGE="pl")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Zaloguj" in content
    assert "Adres e-mail lub nazwa użytkownika" in content
    assert "Log in" not in content
