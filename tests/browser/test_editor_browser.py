"""The draft editor in a real browser: keyboard use, marking, phone width."""

import pytest

from tests.browser.conftest import screenshot
from tests.conftest import NOTES_FILE, PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, live_server, user):
    page.goto(f"{live_server}/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/")


def test_the_editor_marks_confidential_content_and_works_by_keyboard(
    page, live_server, member_setup, create_meeting
):
    meeting = create_meeting(member_setup["network"], "Patients first", notes=NOTES_FILE)
    log_in(page, live_server, member_setup["facilitator"])
    page.goto(f"{live_server}/n/river-network/m/{meeting.slug}/draft")
    assert page.locator(".draft-item.is-confidential").count() == 1
    assert page.locator("mark.confidential-span").count() == 1
    screenshot(page, "editor-desktop")
    # Reach the first item's Edit link with the keyboard and open it.
    edit = page.get_by_role("link", name="Edit item 1")
    edit.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/draft/items/*")
    page.fill("#body", "Involving patients from the start")
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Save").press("Enter")
    page.wait_for_url("**/draft#item-*")
    assert "Involving patients from the start" in page.content()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "editor-phone")
    assert page.console_errors == []
