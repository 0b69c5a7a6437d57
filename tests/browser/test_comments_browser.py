"""Comments in a real browser: hostile ones run nothing; the page reads well on desktop and phone."""

from __future__ import annotations

import pytest

from notes_app.extensions import db
from notes_app.models import Meeting, User
from notes_app.services import accounts, comments, publishing
from tests.browser.conftest import SCREENSHOTS, screenshot
from tests.browser.test_editor_browser import log_in
from tests.conftest import NOTES_FILE
from tests.test_comments_xss import PAYLOADS, XSS_NOTES, store_payloads

pytestmark = pytest.mark.browser

# Everything a comment could use to run something, looked for in the live DOM.
_DANGEROUS_IN_COMMENTS = """() => {
  const bodies = [...document.querySelectorAll('.comment-body')];
  const bad = [];
  for (const body of bodies) {
    for (const el of body.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      if (['script', 'svg', 'math', 'iframe', 'object', 'embed', 'img', 'style', 'form',
           'input', 'button', 'details', 'base', 'meta', 'link', 'template'].includes(tag)) {
        bad.push(tag);
      }
      for (const attr of el.attributes) {
        const value = attr.value.replace(/[\\u0000-\\u0020\\u200b\\ufeff]/g, '').toLowerCase();
        if (attr.name.startsWith('on') || attr.name === 'style' || attr.name === 'src' ||
            /^(javascript|data|vbscript):/.test(value)) {
          bad.push(tag + '[' + attr.name + '=' + attr.value + ']');
        }
      }
    }
  }
  return {count: bodies.length, bad: bad};
}"""


def publish(app, meeting):
    with app.app_context():
        publishing.publish(db.session.get(Meeting, meeting.id), actor_id=None, accept_warnings=True)
        db.session.commit()


def items_of(app, meeting) -> list[str]:
    with app.app_context():
        publication = publishing.latest_publication(db.session.get(Meeting, meeting.id))
        return [item["id"] for item in publication.items]


@pytest.mark.parametrize("csp", ["bypassed", "enforced"])
def test_hostile_comments_open_no_dialog_and_run_no_script(
    app, browser, live_server, member_setup, create_meeting, csp
):
    meeting = create_meeting(member_setup["network"], "Safety", notes=XSS_NOTES)
    publish(app, meeting)
    store_payloads(app, meeting, member_setup["member"], items_of(app, meeting))
    # With the Content Security Policy bypassed, only sanitising stands between a payload and
    # the reader: that is the case that proves the sanitiser. With it enforced, any inline
    # script or handler that got through would show as a CSP violation in the console.
    context = browser.new_context(
        viewport={"width": 1200, "height": 900}, bypass_csp=csp == "bypassed"
    )
    page = context.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        log_in(page, live_server, member_setup["facilitator"])
        page.goto(f"{live_server}/n/river-network/m/{meeting.slug}/notes")
        page.wait_for_load_state("load")
        # Give handlers (onload, onfocus, ontoggle, meta refresh) a moment to fire.
        page.mouse.move(300, 300)
        for details in page.locator(".comment-body details").all():
            details.click()
        page.keyboard.press("Tab")
        page.wait_for_timeout(500)
        found = page.evaluate(_DANGEROUS_IN_COMMENTS)
        assert found["count"] == len(PAYLOADS)
        assert found["bad"] == []
        assert page.evaluate("() => window.__xss") is None
        assert dialogs == []
        assert errors == []
        assert page.url.endswith("/notes")  # no refresh or base-href navigation happened
        screenshot(page, f"comments-hostile-{csp}")
    finally:
        context.close()


def test_commenting_by_keyboard_and_the_page_on_desktop_and_phone(
    app, page, live_server, member_setup, create_meeting, create_user, add_member
):
    meeting = create_meeting(member_setup["network"], "Patients first", notes=NOTES_FILE)
    publish(app, meeting)
    items = items_of(app, meeting)
    colleague = create_user("sam@example.org", "Sam Colleague")
    add_member(member_setup["network"], colleague)
    with app.app_context():
        row = db.session.get(Meeting, meeting.id)
        sam = accounts.actor_for(db.session.get(User, colleague.id))
        fay = accounts.actor_for(db.session.get(User, member_setup["facilitator"].id))
        top = comments.post(
            row,
            sam,
            "Paying people fairly matters. We used **vouchers** and it went well:\n\n"
            "- simple to hand out\n- no bank details needed\n\n"
            "More at https://www.example.net/a-rather-long-address/that-should-wrap-on-phones",
            item_id=items[2],
        )
        comments.post(row, fay, "Thanks, useful. Did anyone *decline* vouchers?", parent_id=top.id)
        comments.post(row, sam, "A question for everyone on the notes as a whole.", anonymous=True)
        rude = comments.post(row, sam, "This comment will be hidden by a facilitator.")
        comments.hide(row, fay, rude.id, "Off topic")
        db.session.commit()
    base = f"{live_server}/n/river-network/m/{meeting.slug}"
    log_in(page, live_server, member_setup["member"])
    page.goto(f"{base}/notes")
    assert "This comment will be hidden" not in page.content()
    # Open "Comment on this part" on the first statement with the keyboard, write, post.
    summary = page.locator(f"#item-{items[1]} + .item-comments summary")
    summary.focus()
    page.keyboard.press("Enter")
    textarea = page.locator(f"#body-item-{items[1]}")
    assert textarea.is_visible()
    textarea.focus()
    page.keyboard.type("Being in the room early is the point. *Agreed.*")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # post without my name
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/notes#comment-*")
    assert "Your comment is posted." in page.content()
    card = page.locator(".comment-card", has_text="Being in the room early")
    assert "posted without your name" in card.inner_text()
    # A refused comment keeps what was typed and says why.
    page.locator("#body-notes").fill("I think Robin said it best.")
    page.locator("#discussion > form button[type=submit]").click()
    assert page.locator("h1").inner_text() == "Your comment was not posted"
    assert "a speaker who has not agreed to be named" in page.locator(".error").inner_text()
    assert page.locator("#body").input_value() == "I think Robin said it best."
    screenshot(page, "comments-refused-desktop")
    # The browser reports the 422 answer itself as a console error; nothing else may be there.
    assert [e for e in page.console_errors if "422" not in e] == []
    page.console_errors.clear()
    page.goto(f"{base}/notes")
    page.locator(f"#item-{items[2]} + .item-comments .comment").first.scroll_into_view_if_needed()
    screenshot(page, "comments-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "comments-phone")
    thread = page.locator(f"#item-{items[2]} + .item-comments")
    thread.screenshot(path=str(SCREENSHOTS / "comments-phone-thread.png"))
    opened = page.locator(f"#item-{items[3]} + .item-comments")
    opened.locator("summary").click()
    opened.screenshot(path=str(SCREENSHOTS / "comments-phone-form.png"))
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the page scrolls sideways on a phone"
    # Facilitators see the hidden comment, marked, with the reason and the real names.
    page.set_viewport_size({"width": 1200, "height": 900})
    page.context.clear_cookies()
    log_in(page, live_server, member_setup["facilitator"])
    page.goto(f"{base}/notes")
    hidden = page.locator(".comment.state-hidden")
    assert "Off topic" in hidden.inner_text() and "Sam Colleague" in hidden.inner_text()
    screenshot(page, "comments-facilitator-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "comments-facilitator-phone")
    assert page.console_errors == []
