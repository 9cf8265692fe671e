"""Keyboard-only driving of a page: Tab from the top, operate each control with the keys a
keyboard user has, and check every stop on the way (visible, with a focus indicator)."""

from __future__ import annotations

from typing import Any

from tests.browser.visits import Page

MAX_TAB_STOPS = 250

# What the focused element is, and whether a sighted keyboard user can see where focus is:
# on screen (WCAG 2.4.11) and with an outline or ring (2.4.7).
ACTIVE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
        || style.boxShadow !== "none";
    return {
        tag: el.tagName.toLowerCase(), type: (el.type || "").toLowerCase(),
        name: el.name || "", value: el.value || "", checked: !!el.checked,
        id: el.id || "", text: (el.innerText || el.value || "").trim().slice(0, 60),
        ring: ring,
        on_screen: rect.width > 0 && rect.height > 0 && rect.bottom > 0
            && rect.top < window.innerHeight && rect.right > 0 && rect.left < window.innerWidth,
    };
}"""


class KeyboardUser:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.stops: list[str] = []

    def active(self) -> dict[str, Any] | None:
        return self.page.evaluate(ACTIVE)  # type: ignore[no-any-return]

    def tab(self) -> dict[str, Any]:
        self.page.keyboard.press("Tab")
        found = self.active()
        assert found is not None, f"Tab left the page after {self.stops[-3:]}"
        where = f"<{found['tag']} id={found['id']!r} name={found['name']!r}> {found['text']!r}"
        self.stops.append(where)
        assert found["on_screen"], f"focus is not on screen: {where}"
        assert found["ring"], f"no visible focus indicator: {where}"
        return found

    def start(self) -> None:
        """Start from the top of the page, as after loading it."""
        self.page.evaluate("() => document.activeElement && document.activeElement.blur()")
        self.page.evaluate("() => window.scrollTo(0, 0)")
        self.stops = []

    def follow(self, selector: str) -> None:
        """Tab to the link or button `selector` and press Enter; wait for the next page."""
        self.start()
        for _ in range(MAX_TAB_STOPS):
            self.tab()
            if self.page.evaluate("s => document.activeElement.matches(s)", selector):
                with self.page.expect_navigation():
                    self.page.keyboard.press("Enter")
                return
        raise AssertionError(f"Tab never reached {selector}; stops: {self.stops}")

    def fill_and_send(self, values: dict[str, str], submit: str) -> None:
        """Tab through the page, put `values` (by control name) in with keys only, then press
        Enter on the `submit` button. Every named control must be reached before it."""
        self.start()
        remaining = dict(values)
        for _ in range(MAX_TAB_STOPS):
            found = self.tab()
            name = found["name"]
            if name in remaining:
                self._operate(found, remaining.pop(name))
            if self.page.evaluate("s => document.activeElement.matches(s)", submit):
                assert not remaining, f"Tab reached the button before {sorted(remaining)}"
                with self.page.expect_navigation():
                    self.page.keyboard.press("Enter")
                return
        raise AssertionError(f"Tab never reached {submit}; left {sorted(remaining)}")

    def _operate(self, found: dict[str, Any], value: str) -> None:
        keyboard = self.page.keyboard
        if found["type"] == "checkbox":
            if bool(value) != found["checked"]:
                keyboard.press("Space")
        elif found["type"] == "radio":
            # Arrow keys move through the group and check the radio they land on.
            for _ in range(20):
                current = self.active()
                if current and current["value"] == value and current["checked"]:
                    return
                keyboard.press("ArrowDown" if current and current["checked"] else "Space")
            raise AssertionError(f"no radio {found['name']}={value} by arrow keys")
        elif found["tag"] == "select":
            keyboard.press("Home")
            for _ in range(50):
                if self.page.evaluate("() => document.activeElement.value") == value:
                    return
                keyboard.press("ArrowDown")
            raise AssertionError(f"no option {value!r} in {found['name']} by arrow keys")
        else:
            keyboard.press("ControlOrMeta+A")
            keyboard.type(value)
