"""Refused comments are no oracle of who spoke: one message, audited, and rate limited."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from notes_app.extensions import db
from notes_app.models import AuditEvent
from notes_app.services import comments
from tests.test_comments import base, post_comment, published, rows  # noqa: F401 (fixture)

# A name, an organisation, an email address, and a phrase from a confidential span.
REFUSED_BODIES = [
    "I agree with Robin on this.",
    "They work at Example University.",
    "Write to robin@example.org please.",
    "I heard that because the council pulled out it was slow.",
]


def _without_echo(page: str, body: str) -> str:
    """The page minus what the member typed (echoed into the form) and the CSRF token."""
    page = page.replace(html_lib.escape(body, quote=False), "ECHO")
    page = page.replace(html_lib.escape(body), "ECHO")
    return re.sub(r'name="csrf_token"[^>]*value="[^"]*"', "CSRF", page)


def test_refusals_for_a_name_an_organisation_an_email_and_confidential_text_look_alike(
    client,
    app,
    member_setup,
    auth,
    published,  # noqa: F811
):
    meeting, items = published
    auth.login(member_setup["member"])
    pages = []
    for body in REFUSED_BODIES:
        response = post_comment(client, meeting, body, item_id=items[1])
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert html_lib.escape(body, quote=False) in page  # what they wrote is kept
        pages.append(_without_echo(page, body))
    assert all(page == pages[0] for page in pages[1:])
    # And what was matched is not said anywhere on it.
    for canary in ("Robin", "Example University", "robin@example.org", "the council"):
        assert canary not in pages[0]
    assert rows(app) == []


def test_a_comment_that_only_shares_words_with_the_notes_is_posted(
    client,
    app,
    member_setup,
    auth,
    published,  # noqa: F811
):
    meeting, _ = published
    auth.login(member_setup["member"])
    response = post_comment(client, meeting, "The council question came up in our team too.")
    assert response.status_code == 302, response.get_data(as_text=True)


def test_each_refusal_is_audited_without_what_matched_and_shown_to_facilitators(
    client,
    app,
    member_setup,
    auth,
    published,  # noqa: F811
):
    meeting, _ = published
    auth.login(member_setup["member"])
    for body in REFUSED_BODIES:
        assert post_comment(client, meeting, body).status_code == 422
    with app.app_context():
        events = db.session.scalars(
            db.select(AuditEvent).filter_by(action="comment_refused").order_by(AuditEvent.id)
        ).all()
        assert [e.actor_id for e in events] == [member_setup["member"].id] * 4
        assert {e.subject for e in events} == {meeting.slug}
        assert [e.details["rule"] for e in events] == [
            "protected term: name",
            "protected term: organisation",
            "protected term: email",
            "confidential text",
        ]
        stored = repr([(e.subject, e.details) for e in events])
    for canary in ("Robin", "Example University", "robin@example.org", "council"):
        assert canary not in stored
    # Members never see the list; facilitators do, with who and which rule.
    assert client.get(f"{base(meeting)}/consent").status_code == 404
    auth.logout()
    auth.login(member_setup["facilitator"])
    page = client.get(f"{base(meeting)}/consent").get_data(as_text=True)
    section = page.split("<h2>Comments refused</h2>", 1)[1]
    assert section.count("Max Member") == 4 and "confidential text" in section
    assert "council pulled out" not in section and "robin@example.org" not in section


def test_refusals_are_rate_limited_per_member(
    client,
    app,
    member_setup,
    auth,
    published,  # noqa: F811
):
    meeting, _ = published
    auth.login(member_setup["member"])
    statuses = [post_comment(client, meeting, f"Robin said {n}.").status_code for n in range(6)]
    assert statuses == [422] * 5 + [429]
    response = post_comment(client, meeting, "A perfectly fine comment.")
    assert response.status_code == 429 and "Retry-After" in response.headers
    with app.app_context():
        assert (
            db.session.scalar(
                db.select(db.func.count())
                .select_from(AuditEvent)
                .filter_by(action="comment_refused")
            )
            == 5
        )
    # Another member is not limited by it; and comments that pass never count.
    auth.logout()
    auth.login(member_setup["facilitator"])
    for n in range(6):
        assert post_comment(client, meeting, f"Fine comment {n}.").status_code == 302


@pytest.mark.parametrize("body", REFUSED_BODIES[:1] + REFUSED_BODIES[-1:])
def test_an_edit_is_refused_the_same_way(client, app, member_setup, auth, published, body):  # noqa: F811
    meeting, _ = published
    auth.login(member_setup["member"])
    posted = post_comment(client, meeting, "First thoughts.")
    number = int(posted.location.rsplit("-", 1)[1])
    from tests.conftest import post_form

    url = f"{base(meeting)}/comments/{number}/edit"
    response = post_form(client, url, {"body": body})
    assert response.status_code == 422
    assert html_lib.escape(comments.REFUSED) in response.get_data(as_text=True)
    assert [c.body for c in rows(app, meeting)] == ["First thoughts."]


def test_red_team_posts_and_edits_share_one_refusal_limit_audited_for_facilitators(
    client,
    app,
    member_setup,
    auth,
    published,  # noqa: F811
):
    """Refused posts and refused edits count against one limit per member: alternating between
    the two must not double the guesses a member may make at who spoke."""
    from notes_app.config import Config
    from tests.conftest import post_form

    assert Config.RATELIMIT_COMMENT_REFUSALS == "5 per 10 minutes;20 per day"
    meeting, _ = published
    auth.login(member_setup["member"])
    number = int(post_comment(client, meeting, "First thoughts.").location.rsplit("-", 1)[1])
    edit_url = f"{base(meeting)}/comments/{number}/edit"
    statuses = [post_comment(client, meeting, f"Robin said {n}.").status_code for n in range(3)]
    statuses += [post_form(client, edit_url, {"body": f"Robin {n}."}).status_code for n in range(2)]
    assert statuses == [422] * 5
    # The sixth guess is refused however it is sent, before the gate is asked.
    assert post_form(client, edit_url, {"body": "Robin again."}).status_code == 429
    assert post_comment(client, meeting, "Robin once more.").status_code == 429
    with app.app_context():
        actions = list(
            db.session.scalars(
                db.select(AuditEvent.action)
                .where(AuditEvent.action.like("comment_refus%"))
                .order_by(AuditEvent.id)
            )
        )
    assert actions == ["comment_refused"] * 5 + ["comment_refusals_limited"]
    # Facilitators see that the member reached the limit; the member never sees the list.
    auth.logout()
    auth.login(member_setup["facilitator"])
    page = client.get(f"{base(meeting)}/consent").get_data(as_text=True)
    section = page.split("<h2>Comments refused</h2>", 1)[1]
    assert section.count("Max Member") == 6 and "limit of refused comments reached" in section
