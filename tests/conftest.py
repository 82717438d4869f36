"""Fixtures shared by all tests: fast passwords, private files in a temporary
folder, the reference data and one person of each role.
"""

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from certification import reference_data
from tests import factories


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # MD5 makes users in tests cheap to create. The usual hashers stay after
    # it, so a password hashed outside a test (a session fixture) still works.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *django_settings.PASSWORD_HASHERS,
    ]


@pytest.fixture(autouse=True)
def _private_files_in_tmp(settings, tmp_path):
    # Issued certificates are stored as files: keep them out of the project.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    # A request made in English (Accept-Language) leaves English active in
    # the thread; the next test starts in the site's language again.
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _signing_keys_in_tmp(settings, tmp_path):
    # Tests make their own keys where they need them; the project's folder
    # of demo keys is never read or written.
    settings.SCKIS_SIGNING_KEYS_DIR = tmp_path / "signing"


@pytest.fixture
def criteria(db):
    """Version 1 of the criteria dictionary."""
    return reference_data.load_criteria()


@pytest.fixture
def units(db):
    """All 16 voivodeships with their certifying and audit units, and the
    appeal unit.
    """
    return reference_data.load_units()


@pytest.fixture
def mazowieckie(db):
    return factories.VoivodeshipFactory(slug="mazowieckie")


@pytest.fixture
def lubuskie(db):
    return factories.VoivodeshipFactory(slug="lubuskie")


@pytest.fixture
def club(mazowieckie):
    return factories.ClubFactory(founding_unit__voivodeship=mazowieckie)


@pytest.fixture
def applicant(club):
    """A person of the institution that founded `club`."""
    return factories.ApplicantFactory(unit=club.founding_unit)


@pytest.fixture
def officer(mazowieckie):
    return factories.OfficerFactory(unit__voivodeship=mazowieckie)


@pytest.fixture
def auditor(mazowieckie):
    return factories.AuditorFactory(unit__voivodeship=mazowieckie)


@pytest.fixture
def appeal_officer(db):
    return factories.AppealOfficerFactory()
