"""Round 5 of the red team, end to end: phone numbers written without "+" are refused in comments
(L11, L20) and removed from an event post's description on the meeting page (L21)."""

from __future__ import annotations

import html as html_lib

import pytest

from notes_app.extensions import db
from notes_app.models import Network
from notes_app.services import comments, meetings
from tests.conftest import PASSWORD, post_form
from tests.test_comments import outbox, post_comment, published, rows  # noqa: F401 (fixture)


@pytest.mark.parametrize(
    "body",
    ["I called 44 7700 900999 to ask her", "Ring her on 44 20 7946 0958"],
    ids=["l11-uk-mobile-after-called", "l20-uk-number-after-ring-her-on"],
)
def test_round5_a_comment_with_an_international_number_without_plus_is_refused(
    client,
    app,
    member_setup,
    auth,
    published,  # noqa: F811
    body,
):
    meeting, items = published
    auth.login(member_setup["member"])
    response = post_comment(client, meeting, body, item_id=items[1])
    assert response.status_code == 422
    assert html_lib.escape(comments.REFUSED) in response.get_data(as_text=True)
    assert rows(app) == []
    assert outbox(app) == []


def test_round5_a_comment_with_a_year_range_and_an_amount_is_posted(
    client,
    app,
    member_setup,
    auth,
    published,  # noqa: F811
):
    meeting, _ = published
    auth.login(member_setup["member"])
    body = "From 2024 2025 the fund grew to 2 000 000 pounds (ISBN 978-0-306-40615-7)."
    response = post_comment(client, meeting, body)
    assert response.status_code == 302, response.get_data(as_text=True)


EVENT_POST = """---
title: "Future meeting"
date: 2027-03-10
topics:
  - Engagement
---

Our next meeting, with guest speakers.

<!--more-->

Joining us from Cardiff. Contact the lab on 44 29 2087 4000, from 2027 2028 on.
"""


def test_round5_event_post_description_loses_the_phone_on_the_meeting_page(app, member_setup):
    with app.app_context():
        network = db.session.get(Network, member_setup["network"].id)
        meeting = meetings.import_event_post(network, EVENT_POST, "ev7.md", actor_id=None).meeting
        db.session.commit()
        slug = meeting.slug
    client = app.test_client()
    post_form(client, "/login", {"email": member_setup["member"].email, "password": PASSWORD})
    page = client.get(f"/n/river-network/m/{slug}/").get_data(as_text=True)
    assert "Contact the lab on [phone removed], from 2027 2028 on." in page
    digits = "".join(c for c in page if c.isdigit())
    assert "2920874000" not in digits
