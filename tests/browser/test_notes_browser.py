"""Preview and reading in a real browser: clean on desktop, phone and paper."""

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_editor_browser import log_in
from tests.conftest import NOTES_FILE

pytestmark = pytest.mark.browser


def test_preview_publish_and_read(page, live_server, member_setup, create_meeting):
    meeting = create_meeting(member_setup["network"], "Patients first", notes=NOTES_FILE)
    base = f"{live_server}/n/river-network/m/{meeting.slug}"
    log_in(page, live_server, member_setup["facilitator"])
    page.goto(f"{base}/preview")
    screenshot(page, "preview-desktop")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(f"{base}/notes")
    assert "Patients should be in the room" in page.content()
    assert "Robin" not in page.locator("main").inner_text()
    screenshot(page, "notes-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "notes-phone")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    page.emulate_media(media="screen")
    assert page.console_errors == []
