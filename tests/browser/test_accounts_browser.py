"""Logging in with the keyboard alone, in a real browser, with the CSP in force."""

import pytest

from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_login_with_the_keyboard_only(page, live_server, member_setup):
    page.goto(f"{live_server}/")
    assert page.url.startswith(f"{live_server}/login")
    screenshot(page, "login-desktop")
    # The email field has focus on arrival; Tab moves through the form in reading order.
    page.keyboard.type(member_setup["member"].email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/")
    assert page.locator("h1").inner_text() == "Your networks"
    assert "River network" in page.content()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "home-phone")
    assert page.console_errors == []  # a CSP violation would show here


def test_skip_link_is_the_first_stop(page, live_server):
    page.goto(f"{live_server}/no-such-page")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"


def test_a_wrong_password_is_announced_next_to_the_field(page, live_server, member_setup):
    page.goto(f"{live_server}/login")
    page.fill("#email", member_setup["member"].email)
    page.fill("#password", "not the password")
    page.click("button[type=submit]")
    error = page.locator("#password-error")
    assert "do not match" in error.inner_text()
    assert page.get_attribute("#password", "aria-describedby") == "password-error"
    assert page.get_attribute("#password", "aria-invalid") == "true"
