"""The speaker's page in a real browser: decided with the keyboard alone, readable on a phone."""

import re

import pytest

from notes_app.extensions import db
from notes_app.models import ConsentRecord, OutboxMessage
from tests.browser.conftest import screenshot
from tests.browser.test_editor_browser import log_in
from tests.test_consent import NOTES

pytestmark = pytest.mark.browser


def guest_link(app, meeting) -> str:
    from notes_app.services import consent, speakers

    with app.app_context():
        chosen = speakers.speakers_of(db.session.merge(meeting))
        consent.request_consent(db.session.merge(meeting), chosen, actor_id=None)
        db.session.commit()
        text = db.session.scalars(
            db.select(OutboxMessage.text).filter_by(recipient="robin@example.org")
        ).one()
    return re.search(r"(/consent/[A-Za-z0-9_-]+)", text).group(1)


def tab_to(page, predicate: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches a JavaScript predicate on `el`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate}; }})()"):
            return
    raise AssertionError(f"Tab never reached {predicate}")


def focus_is_visible(page) -> bool:
    return page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle !== 'none'"
        " || getComputedStyle(document.activeElement).boxShadow !== 'none'"
    )


def test_a_guest_decides_with_the_keyboard_alone(
    app, page, live_server, member_setup, create_meeting
):
    meeting = create_meeting(member_setup["network"], "Patients first", notes=NOTES)
    page.goto(live_server + guest_link(app, meeting))
    assert "Statement 1 of 2" in page.content()
    screenshot(page, "consent-guest-desktop")

    # Statement 1: credit by name; statement 2: no credit. Tab, space and arrows only.
    tab_to(page, "el.name.startsWith('choice-') && el.value === 'name'")
    assert focus_is_visible(page)
    page.keyboard.press("Space")
    tab_to(page, "el.name.startsWith('choice-') && el.value === 'name'")
    page.keyboard.press("ArrowDown")  # moves to, and selects, "by descriptor"
    page.keyboard.press("ArrowDown")  # and on to "don't credit me"
    tab_to(page, "el.type === 'submit' && el.textContent.includes('Save my decisions')")
    assert focus_is_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_text("Saved: 2 decisions recorded.").wait_for()
    with app.app_context():
        decisions = [
            (r.decision, r.level)
            for r in db.session.scalars(db.select(ConsentRecord).order_by(ConsentRecord.id))
        ]
    assert decisions == [("granted", "name"), ("declined", None)]

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "scrolls sideways"
    screenshot(page, "consent-guest-phone")
    assert page.console_errors == []


def test_the_facilitators_overview(app, page, live_server, member_setup, create_meeting):
    meeting = create_meeting(member_setup["network"], "Patients first", notes=NOTES)
    guest_link(app, meeting)
    log_in(page, live_server, member_setup["facilitator"])
    page.goto(f"{live_server}/n/river-network/m/{meeting.slug}/consent")
    assert "1 request sent" in page.content()
    screenshot(page, "consent-overview-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "consent-overview-phone")
    assert page.console_errors == []


def test_credit_me_on_all_but_not_on_one_statement(
    app, page, live_server, member_setup, create_meeting
):
    meeting = create_meeting(member_setup["network"], "Patients first", notes=NOTES)
    page.goto(live_server + guest_link(app, meeting))
    assert page.get_by_text("A choice you make on one statement below always wins").is_visible()
    page.get_by_label("Credit me by name on all").check()
    statement_two = page.locator("fieldset.statement").nth(1)
    statement_two.get_by_label("Don’t credit me").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save my decisions").click()
    page.get_by_text("Saved: 2 decisions recorded.").wait_for()
    assert "already recorded as they are" not in page.content()
    with app.app_context():
        decisions = [
            (r.decision, r.level)
            for r in db.session.scalars(db.select(ConsentRecord).order_by(ConsentRecord.id))
        ]
    assert decisions == [("granted", "name"), ("declined", None)]
    statuses = page.locator("fieldset.statement .consent-status").all_inner_texts()
    assert statuses[0].startswith("You are credited by name")
    assert statuses[1] == "You chose not to be credited."
    assert page.console_errors == []


def test_l24_a_later_credit_for_all_leaves_the_statement_declined_before(
    app, page, live_server, member_setup, create_meeting
):
    """Round 5, L24, in Chromium: "Don't credit me" on statement 2, then in a later visit
    "Credit me by name on all" with statement 2 left alone. Members read statement 2 without
    the speaker's name; the page says the earlier choice still stands."""
    from notes_app.models import Meeting
    from notes_app.services import publishing

    meeting = create_meeting(member_setup["network"], "Patients first", notes=NOTES)
    link = live_server + guest_link(app, meeting)
    page.goto(link)
    page.get_by_label("Credit me by descriptor on all").check()
    page.locator("fieldset.statement").nth(1).get_by_label("Don’t credit me").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save my decisions").click()
    page.get_by_text("Saved: 2 decisions recorded.").wait_for()

    page.goto(link)  # a later visit: nothing on statement 2 is chosen on the form
    assert page.get_by_text("A “Don’t credit me” you chose on a statement before wins").is_visible()
    assert not page.locator("fieldset.statement").nth(1).locator("input:checked").count()
    page.get_by_label("Credit me by name on all").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save my decisions").click()
    statuses = page.locator("fieldset.statement .consent-status").all_inner_texts()
    assert statuses[0].startswith("You are credited by name")
    assert statuses[1] == "You chose not to be credited."

    with app.app_context():
        publishing.publish(db.session.get(Meeting, meeting.id), actor_id=None, accept_warnings=True)
        db.session.commit()
    log_in(page, live_server, member_setup["member"])
    page.goto(f"{live_server}/n/river-network/m/{meeting.slug}/notes")
    first = page.locator("main li, main p").filter(has_text="Patients should be in the room")
    second = page.locator("main li, main p").filter(has_text="Co-production took twice as long")
    assert "Robin" in first.first.inner_text()
    shown = second.first.inner_text()
    for canary in ("Robin", "Example", "Ethics Lead", "a speaker from a university"):
        assert canary not in shown, shown
    assert page.console_errors == []
