"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

Run them with ``.venv/bin/pytest tests/browser`` (``-m browser`` selects them in a full run,
``-m "not browser"`` leaves them out). pytest-playwright's options work: ``--headed``,
``--slowmo 500``, ``--tracing retain-on-failure``, ``--screenshot only-on-failure``
(``--video`` and ``--device`` do not: the context arguments are set here).

The browser is the system chromium (``CHROMIUM_PATH`` overrides ``shutil.which("chromium")``);
``playwright install`` is not needed. Without a system chromium the Playwright-managed one is
used, if installed.
"""

import os
import shutil
from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parents[1]
AXE_JS = PROJECT_ROOT / "tests" / "assets" / "axe.min.js"
SCREENSHOT_DIR = PROJECT_ROOT / "test-artifacts" / "screenshots"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # No network on the build machines: nothing may phone home in the background.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}

# Timeouts (ms): everything here is local, so waiting long only hides a hang.
ACTION_TIMEOUT = 10_000
EXPECT_TIMEOUT = 5_000

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # tryfirst: the marker must be there before `-m` deselects.
    for item in items:
        if Path(str(item.path)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


# ---------------------------------------------------------------------------------------------
# Browser, context and page (overrides of pytest-playwright's fixtures)
# ---------------------------------------------------------------------------------------------


def _chromium_executable():
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


# pytest-playwright starts Playwright once per session. Its sync API keeps an asyncio event loop
# *running* in the test thread from then on, so Django takes every later ORM call in that
# process (factories here, but also any non-browser test that runs afterwards on the same xdist
# worker) for a call from async code and raises SynchronousOnlyOperation, unless
# DJANGO_ALLOW_ASYNC_UNSAFE is set. Setting that for the whole process leaks into subprocesses
# (tests/test_settings.py runs `manage.py check --deploy`, which rightly warns about it).
# So Playwright lives per package here: started for the first browser test, stopped when the
# run leaves tests/browser, and DJANGO_ALLOW_ASYNC_UNSAFE is set exactly while it runs.
# (The live server's thread has no event loop and is unaffected either way.)


@pytest.fixture(scope="package")
def playwright():
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        pw = sync_playwright().start()
        try:
            yield pw
        finally:
            pw.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, browser_name):
    """The system chromium with flags for a machine without network or GPU (pytest-playwright's
    --headed, --slowmo and --browser-channel still apply)."""
    args = dict(browser_type_launch_args)
    if browser_name == "chromium" and "channel" not in args:
        executable = _chromium_executable()
        if executable:
            args["executable_path"] = executable
        args["args"] = [*args.get("args", []), *CHROMIUM_ARGS]
    return args


@pytest.fixture(scope="package")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="package")
def launch_browser(browser_type, browser_type_launch_args):
    def launch(**kwargs):
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="package")
def browser(launch_browser):
    """One chromium for all browser tests (per xdist worker)."""
    browser = launch_browser()
    yield browser
    browser.close()


@pytest.fixture
def browser_context_args(live_server):
    """Each test gets a fresh context (own cookies, session, language) on the live server."""
    return {
        "base_url": live_server.url,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": DESKTOP,
    }


@pytest.fixture
def page(page: Page, transactional_db, live_server) -> Page:
    """pytest-playwright's page (new context per test) on the live server, with short timeouts.

    Uncaught JavaScript errors and Content-Security-Policy violations fail the test at teardown:
    the portal's CSP is strict, and a blocked script would otherwise go unnoticed.
    """
    page.set_default_timeout(ACTION_TIMEOUT)
    expect.set_options(timeout=EXPECT_TIMEOUT)
    problems = []
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))

    def on_console(message):
        text = message.text
        if message.type == "error" and "Content Security Policy" in text:
            problems.append(f"CSP violation on {page.url}: {text}")

    page.on("console", on_console)
    yield page
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


@cache
def _axe_source():
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page: Page, tags=WCAG_TAGS):
    """Run axe-core on the current page; its violations as plain dicts.

    A click that navigates returns once the new page is committed, possibly before its
    stylesheets apply; colour contrast measured then is the browser's half-styled page.
    """
    page.wait_for_load_state("load")
    # page.add_script_tag(path=...) inserts an *inline* <script>, which the portal's CSP
    # (script-src 'self' 'nonce-…') blocks. Evaluating the source through the DevTools protocol
    # is not subject to the page's CSP.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html,
                                          summary: n.failureSummary})),
            }));
        }""",
        list(tags),
    )


def format_violations(violations):
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"    at {node['target']}: {node['html'][:160]}")
    return "\n".join(lines)


def check_accessibility(page: Page, *, ignore=()):
    """Fail on any WCAG 2.1 A/AA violation of impact serious or critical on the current page.

    ``ignore``: axe rule ids to leave out (only for violations reported as application bugs;
    prefer :func:`pytest.xfail` at the end of the test so they stay visible).
    Returns the remaining minor/moderate violations, for tests that want to look at them.
    """
    violations = [v for v in axe_violations(page) if v["id"] not in ignore]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, (
        f"Accessibility violations (serious/critical) on {page.url}:\n"
        + format_violations(blocking)
    )
    return [v for v in violations if v not in blocking]


def check_accessibility_at_both_widths(page: Page):
    """:func:`check_accessibility` at the current width and at phone width (375 px), then
    back to the current viewport."""
    check_accessibility(page)
    original = page.viewport_size or DESKTOP
    page.set_viewport_size(PHONE)
    try:
        check_accessibility(page)
    finally:
        page.set_viewport_size(original)


def screenshot_phone(page: Page, name: str, *, check_reflow=True) -> Path:
    """Full-page screenshot of the current page at phone width (375x812), then back to the
    previous viewport. Saved as test-artifacts/screenshots/<name>.png (git-ignored).

    With ``check_reflow`` it also fails if the page scrolls sideways at that width
    (WCAG 1.4.10 Reflow); the screenshot is taken first, so it shows the problem.
    """
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    original = page.viewport_size or DESKTOP
    page.set_viewport_size(PHONE)
    try:
        page.screenshot(path=path, full_page=True)
        overflow = horizontal_overflow(page)
    finally:
        page.set_viewport_size(original)
    if check_reflow:
        assert overflow <= 0, (
            f"{page.url} scrolls sideways at {PHONE['width']}px: {overflow}px too wide "
            f"(see {path.relative_to(PROJECT_ROOT)})"
        )
    return path


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 if it fits)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth"
        " - document.documentElement.clientWidth)"
    )
