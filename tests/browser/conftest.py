"""Browser tests drive Debian's chromium through Playwright against a live
server, and check every page they visit with axe-core.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        pytest.fail(
            "No chromium found: install Debian's chromium or set CHROMIUM_PATH."
        )
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": _chromium_path(),
        "args": CHROMIUM_FLAGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "pl-PL", "timezone_id": "Europe/Warsaw"}


@pytest.fixture(autouse=True)
def _allow_orm_in_playwright_loop(monkeypatch):
    # Playwright's sync API runs an event loop; the ORM calls in the test
    # itself are safe because the test is the only thread using them.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class AccessibilityError(AssertionError):
    pass


def check_accessibility(page) -> None:
    """Run axe-core on the page; fail on any serious or critical violation."""
    if not AXE_SOURCE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does).")
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, "
        "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    serious = [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    if serious:
        raise AccessibilityError(
            f"{page.url}: {json.dumps(serious, ensure_ascii=False, indent=1)}"
        )


@pytest.fixture
def axe():
    return check_accessibility
