"""Round 6 of the blind red team, end to end (docs/red-team/round-6.md): each finding is a case
named after it, with its canary proved absent from what members receive."""

from __future__ import annotations

import pytest

from tests.test_comments import notes_page, post_comment, publish_now, rows

QUILLAN = """---
speakers:
  - handle: q
    name: Quillan Ashbourne
    organisation: Corvid Metrics
    email: q@corvid.example
---

# Plans

@q: We should meet again in May.
"""


@pytest.fixture
def quillan(app, member_setup, create_meeting, auth):
    """A published meeting where Quillan Ashbourne spoke, not credited; the member logged in."""
    meeting = create_meeting(member_setup["network"], "Plans", notes=QUILLAN)
    publish_now(app, meeting)
    auth.login(member_setup["member"])
    return meeting


@pytest.mark.parametrize(
    "body",
    [
        "<b>Quil</b>lan said so",  # R10: shown as written, which a reader joins to "Quillan"
        "<b>Quil</b>lan",
        "Thanks to <i>Ash</i>bourne for the slides.",
        "They work at <span>Cor</span>vid.",
    ],
)
def test_r10_a_name_split_by_tags_written_as_text_is_refused_in_a_comment(
    client, app, quillan, body
):
    response = post_comment(client, quillan, body)
    assert response.status_code == 422
    assert rows(app) == []
    assert "Quil</b>" not in notes_page(client, quillan)


def test_r10_tags_written_as_text_around_ordinary_words_are_posted(client, app, quillan):
    response = post_comment(client, quillan, "Use <b>bold</b> for the <i>key</i> points.")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert len(rows(app)) == 1
