"""Accessibility checks of a page: axe-core's rules (from the installed axe-playwright-python,
nothing fetched), and the keyboard: Tab reaches a page's main control, with its focus shown."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page

AXE = Axe()
BLOCKING = ("serious", "critical")
MAX_TABS = 60  # more stops than this before the control is reached is a failure too


def blocking_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations of serious or critical impact on the page as it is now."""
    found = AXE.run(page).response["violations"]
    return [v for v in found if v.get("impact") in BLOCKING]


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations)


def assert_accessible(page: Page) -> None:
    violations = blocking_violations(page)
    assert not violations, f"{page.url} fails axe-core:\n{describe(violations)}"


def is_focused(control: Locator) -> bool:
    return bool(control.evaluate("el => el === document.activeElement"))


def focus_is_visible(control: Locator) -> bool:
    """The browser shows keyboard focus on it (:focus-visible) and the style draws it."""
    return bool(control.evaluate(
        """el => {
            const style = getComputedStyle(el);
            const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
            return el.matches(':focus-visible') && (outlined || style.boxShadow !== 'none');
        }"""))


def tabs_to(page: Page, control: Locator) -> int:
    """Press Tab from where the focus is (the top, on a page just loaded) until ``control``
    has it, and check that the focus is shown there; the number of presses is returned."""
    control.wait_for()
    for presses in range(MAX_TABS + 1):
        if is_focused(control):  # (0 presses: it had the focus already, as autofocus gives)
            assert focus_is_visible(control), f"the focus on {control} is not shown"
            return presses
        page.keyboard.press("Tab")
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached {control} on {page.url}")
