#!/usr/bin/env python
"""Time the rendering of every SC KIS document: `make bench`.

Builds a throwaway SQLite database in a temporary folder (migrate, then
seed_demo: reference data and demonstration cases made through the
services), renders each document several times and prints one line per
document:

    <document> <median s> <bare median s> <ratio>

where "bare" is the median time WeasyPrint takes, in the same run, for a
bare one-page HTML in the same font: the ratio says what a document costs
beyond WeasyPrint's own start. Then Formularz 7 with 100 and with 1,000 rows
made in memory, to see whether a long register grows linearly.

A document whose renderer cannot be imported yet is reported as
"skipped (not available)". Run from the project root with the venv python.
"""

import datetime
import importlib
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

REPEATS = 5
BARE_REPEATS = 9
REGISTER_SIZES = (100, 1000)


def configure(folder: Path) -> None:
    """Point Django at a database, files and signing keys inside `folder`."""
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["PRIVATE_MEDIA_ROOT"] = str(folder / "private")
    # No key files: certificates are issued unsigned, as for a unit without
    # one. Signing is not part of rendering.
    os.environ["SIGNING_KEYS_DIR"] = str(folder / "signing")
    os.environ["DJANGO_DEBUG"] = "true"
    # The demonstration cases send e-mail: keep it in memory.
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["DJANGO_SETTINGS_MODULE"] = "sckis.settings"
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)

    import django

    django.setup()
    # The services log every step at INFO; only the timings matter here.
    logging.disable(logging.INFO)


def build_cases() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)


def median_time(render: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        render()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bare_render() -> Callable[[], bytes]:
    """WeasyPrint on a one-page HTML in the documents' font, through the same
    fetcher and PDF variant as the documents."""
    import weasyprint
    from django.conf import settings

    from certification import documents

    fonts = f"{settings.STATIC_URL}fonts/"
    html = (
        "<!doctype html><html lang='pl'><head><meta charset='utf-8'><style>"
        "@font-face { font-family: 'SC KIS Sans';"
        f" src: url('{fonts}DejaVuSans.ttf'); }}"
        "html { font-family: 'SC KIS Sans'; }"
        "</style></head><body><p>Zażółć gęślą jaźń.</p></body></html>"
    )

    def render() -> bytes:
        return weasyprint.HTML(
            string=html,
            base_url=f"{documents.DOCUMENT_ORIGIN}/",
            url_fetcher=documents.StaticFilesOnlyFetcher(),
        ).write_pdf(pdf_variant="pdf/a-3u")

    return render


def renderer(module: str, name: str) -> Callable[..., bytes] | None:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def documents_to_time() -> list[tuple[str, str, str, Callable[[Callable], object]]]:
    """(document, module, function, call) for each document, on a certified
    demonstration case."""
    from certification.models import Application, Certificate
    from certification.states import ApplicationState

    application = (
        Application.objects.filter(state=ApplicationState.CERTIFIED)
        .order_by("pk")
        .first()
    )
    if application is None:
        raise SystemExit("seed_demo made no certified case to render")
    certificate = Certificate.objects.get(application=application)
    voivodeship = application.club.voivodeship

    forms = "certification.document_forms"
    return [
        (
            "certificate",
            "certification.documents",
            "certificate_pdf",
            lambda f: f(certificate),
        ),
        ("application", forms, "application_pdf", lambda f: f(application)),
        ("explanations", forms, "explanations_pdf", lambda f: f()),
        ("standard-card", forms, "standard_card_pdf", lambda f: f(application)),
        (
            "guidelines",
            "certification.document_guidelines",
            "guidelines_pdf",
            lambda f: f(),
        ),
        ("audit-card", forms, "audit_card_pdf", lambda f: f(application)),
        ("process-card", forms, "process_card_pdf", lambda f: f(application)),
        ("receipt", forms, "receipt_pdf", lambda f: f(application)),
        (
            "register",
            "registry.documents",
            "register_pdf",
            lambda f: f(voivodeship=voivodeship),
        ),
    ]


def register_rows(count: int) -> list:
    """Certificates with their clubs and founders, made in memory only."""
    from certification.models import Certificate, Club, Unit

    voivodeships = ["dolnośląskie", "łódzkie", "mazowieckie", "śląskie"]
    rows = []
    for n in range(1, count + 1):
        founder = Unit(
            name=f"Ośrodek Pomocy Społecznej w Gminie Przykładowej nr {n}",
            street=f"ul. Główna {n}",
            postal_code="00-950",
            city="Warszawa",
        )
        club = Club(
            founding_unit=founder,
            name=f"Klub Integracji Społecznej nr {n}",
            register_entry_date=datetime.date(2010, 5, 4),
            register_entry_number=f"KIS/{n}/2010",
        )
        rows.append(
            Certificate(
                number=f"KIS-14-2026-{n:04d}",
                club=club,
                club_name=club.name,
                club_address=f"ul. Klubowa {n}, 00-950 Warszawa",
                founding_unit_name=founder.name,
                certifying_unit_name="Wydział Polityki Społecznej",
                voivodeship_name=voivodeships[n * len(voivodeships) // (count + 1)],
                issued_on=datetime.date(2026, 2, 3),
                valid_from=datetime.date(2026, 2, 3),
                valid_until=datetime.date(2029, 2, 2),
            )
        )
    return rows


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="sckis-bench-"))
    try:
        configure(folder)
        started = time.perf_counter()
        build_cases()
        print(f"# demo cases built in {time.perf_counter() - started:.1f} s")

        bare = bare_render()
        bare()  # Loads WeasyPrint's fonts and caches once, outside the timing.
        bare_median = median_time(bare, BARE_REPEATS)
        print(
            f"# document, median of {REPEATS} renders (s), median of {BARE_REPEATS}"
            " bare one-page renders (s), ratio"
        )

        for name, module, function, call in documents_to_time():
            render = renderer(module, function)
            if render is None:
                print(f"{name} skipped (not available)")
                continue
            call(render)  # Warm: imports, templates, Graphviz.
            median = median_time(lambda call=call, render=render: call(render), REPEATS)
            print(f"{name} {median:.3f} {bare_median:.3f} {median / bare_median:.1f}")

        from registry.documents import register_pdf

        print("# Formularz 7 with rows made in memory: rows, s, ms per row")
        for count in REGISTER_SIZES:
            entries = register_rows(count)
            seconds = median_time(
                lambda entries=entries: register_pdf(entries=entries), 1
            )
            print(f"register-{count} {seconds:.3f} {seconds / count * 1000:.2f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
