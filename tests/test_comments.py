"""Comments on published notes: who may write and see what, protected terms, notifications,
anchors across republication, concurrency and a constant number of queries per page."""

from __future__ import annotations

import html as html_lib
import re
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import event

from notes_app.domain import policy
from notes_app.domain.consent import wording_hash
from notes_app.domain.notes import ItemKind
from notes_app.domain.policy import Actor, Role
from notes_app.domain.rendering import render_markdown
from notes_app.extensions import db
from notes_app.models import (
    AuditEvent,
    Comment,
    ConsentRecord,
    Item,
    Meeting,
    Membership,
    OutboxMessage,
    Publication,
    Speaker,
    User,
)
from notes_app.services import accounts, comments, drafts, publishing, search
from tests.conftest import NOTES_FILE, PASSWORD, csrf_token, post_form


def base(meeting) -> str:
    return f"/n/river-network/m/{meeting.slug}"


def publish_now(app, meeting) -> Publication:
    with app.app_context():
        publication = publishing.publish(
            db.session.get(Meeting, meeting.id), actor_id=None, accept_warnings=True
        )
        db.session.commit()
        return publication


@pytest.fixture
def published(app, member_setup, create_meeting):
    """A meeting of the river network with NOTES_FILE published: (meeting, item ids)."""
    meeting = create_meeting(member_setup["network"], "Patients first", notes=NOTES_FILE)
    publication = publish_now(app, meeting)
    return meeting, [item["id"] for item in publication.items]


def post_comment(client, meeting, body, **fields):
    data = {"body": body}
    data.update({k: str(v) for k, v in fields.items() if v is not None})
    return post_form(client, f"{base(meeting)}/comments", data, page=f"{base(meeting)}/notes")


def posted_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"#comment-(\d+)$", response.location).group(1))


def rows(app, meeting=None) -> list[Comment]:
    with app.app_context():
        query = db.select(Comment).order_by(Comment.id)
        if meeting is not None:
            query = query.where(Comment.meeting_id == meeting.id)
        return db.session.scalars(query).all()


def outbox(app, kind="reply") -> list[OutboxMessage]:
    with app.app_context():
        return db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        ).all()


def notes_page(client, meeting) -> str:
    response = client.get(f"{base(meeting)}/notes")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def main_of(page: str) -> str:
    return page.split('<main id="main"', 1)[1].split("</main>", 1)[0]


@pytest.fixture
def search_calls(monkeypatch):
    """Record what the comment services ask the search index to do."""
    calls = []
    monkeypatch.setattr(search, "index_comment", lambda c: calls.append(("index", c.id, c.body)))
    monkeypatch.setattr(search, "remove_comment", lambda c: calls.append(("remove", c.id)))
    return calls


def as_member(auth, member_setup, who="member"):
    auth.logout()
    auth.login(member_setup[who])


# Posting and reading -------------------------------------------------------------------------


def test_members_comment_on_the_whole_notes_and_on_one_item(
    client, app, member_setup, auth, published
):
    meeting, items = published
    auth.login(member_setup["member"])
    whole = posted_id(post_comment(client, meeting, "A *useful* meeting overall."))
    on_item = posted_id(post_comment(client, meeting, "We pay people too.", item_id=items[1]))
    page = notes_page(client, meeting)
    assert "<em>useful</em>" in page and "We pay people too." in page
    # The item's comments sit right after it, before the next item.
    after_item = page.split(f'id="item-{items[1]}"', 1)[1].split(f'id="item-{items[2]}"', 1)[0]
    assert f'id="comment-{on_item}"' in after_item
    discussion = page.split('id="discussion"', 1)[1]
    assert f'id="comment-{whole}"' in discussion and "Max Member" in discussion
    stored = {c.id: c for c in rows(app, meeting)}
    assert stored[on_item].item_id == items[1] and stored[whole].item_id is None
    assert stored[whole].html == "<p>A <em>useful</em> meeting overall.</p>"


def test_replies_are_one_level_deep_and_take_their_threads_place(
    client, app, member_setup, auth, published
):
    meeting, items = published
    auth.login(member_setup["member"])
    top = posted_id(post_comment(client, meeting, "Top comment.", item_id=items[1]))
    reply = posted_id(post_comment(client, meeting, "A reply.", parent_id=top))
    # A reply to a reply joins the same thread, under the top comment; the item sent is ignored.
    nested = posted_id(
        post_comment(client, meeting, "A reply to the reply.", parent_id=reply, item_id=items[2])
    )
    stored = {c.id: c for c in rows(app, meeting)}
    assert stored[reply].parent_id == top and stored[nested].parent_id == top
    assert stored[nested].item_id == items[1]
    page = notes_page(client, meeting)
    thread = page.split(f'id="comment-{top}"', 1)[1]
    assert thread.index("A reply.") < thread.index("A reply to the reply.")
    assert page.count('class="comment-replies"') == 1


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"item_id": "not-an-item"}, 404),
        ({"parent_id": "999999"}, 404),
        ({"parent_id": "x1"}, 404),
        ({"parent_id": "²"}, 404),
    ],
)
def test_a_comment_must_name_a_published_item_or_an_existing_comment(
    client, app, member_setup, auth, published, fields, status
):
    meeting, _ = published
    auth.login(member_setup["member"])
    assert post_comment(client, meeting, "Hello", **fields).status_code == status
    assert rows(app) == []


def test_an_empty_comment_is_refused(client, app, member_setup, auth, published):
    meeting, _ = published
    auth.login(member_setup["member"])
    for body in ["", "   \n  ", "<!-- just a comment -->"]:
        response = post_comment(client, meeting, body)
        assert response.status_code == 422
    assert rows(app) == []


def test_nobody_comments_on_unpublished_notes(client, app, member_setup, auth, create_meeting):
    meeting = create_meeting(member_setup["network"], "Not yet", notes=NOTES_FILE)
    auth.login(member_setup["member"])
    token = csrf_token(client.get("/account/").get_data(as_text=True))
    response = client.post(f"{base(meeting)}/comments", data={"csrf_token": token, "body": "Hi"})
    assert response.status_code == 404
    assert rows(app) == []


# Protected terms --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "kind", "typed"),
    [
        ("I agree with Robin on this.", "the name of a speaker", "Robin"),
        ("ROBIN EXAMPLE was right", "the name of a speaker", "ROBIN EXAMPLE"),
        ("As Rob said, it took long.", "another name of a speaker", "Rob"),
        ("Dr Example made the point.", "another name of a speaker", "Dr Example"),
        ("Write to robin@example.org", "the email address of a speaker", "robin@example.org"),
        ("They work at Example University.", "the organisation of a speaker", "Example University"),
        ("Is Project Falcon still going?", "a protected term of this meeting", "Project Falcon"),
        ("I think **Ro**bin said so.", "the name of a speaker", "Ro**bin"),
        ("Zoë and R&#111;bin agreed.", "the name of a speaker", "Robin"),
        ("See [this](https://example.net/people/robin-example).", "the name of a speaker", ""),
        ("Ro\u00adbin had a view.", "the name of a speaker", ""),
    ],
)
def test_a_comment_naming_a_protected_term_is_refused_and_nothing_is_stored(
    client, app, member_setup, auth, published, body, kind, typed
):
    meeting, items = published
    auth.login(member_setup["member"])
    response = post_comment(client, meeting, body, item_id=items[1])
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    # One message for every kind of match: it never says which kind, nor quotes what matched.
    assert "was not saved because it contains" in page and html_lib.escape(comments.REFUSED) in page
    assert kind not in page
    if typed:
        assert f"“{typed}”" not in page
    # What they typed is kept in the form, so nothing is lost.
    assert 'name="body"' in page and "Post" in page
    assert rows(app) == []
    assert outbox(app) == []


def test_the_refusal_names_nothing_it_matched(app, member_setup, published):
    meeting, _ = published
    with app.app_context():
        actor = accounts.actor_for(db.session.get(User, member_setup["member"].id))
        with pytest.raises(comments.ProtectedTermRefused) as refused:
            comments.post(db.session.get(Meeting, meeting.id), actor, "Robin from Project Falcon")
        message = str(refused.value)
    assert message == comments.REFUSED
    for canary in ("Robin", "Project Falcon", "the name", "organisation", "email", "term"):
        assert canary not in message


@pytest.mark.parametrize(
    "body",
    [
        "Write to me at max@example.net about this.",
        "Write to max [at] example [dot] net about this.",
        "Ring me on 07700 900123 about this.",
        "Ring 07700\u2013900\u2013123 about this.",
        "Call 79460123 about this.",
        "[Ring](tel:+447700900123) about this.",
    ],
    ids=["email", "spelled-out email", "phone", "phone with en dashes", "local phone", "tel link"],
)
def test_red_team_a_comment_with_an_email_or_phone_is_refused_like_a_protected_term(
    client, app, member_setup, auth, published, body
):
    meeting, items = published
    auth.login(member_setup["member"])
    response = post_comment(client, meeting, body, item_id=items[1])
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html_lib.escape(comments.REFUSED) in page
    assert rows(app) == []
    assert outbox(app) == []


def test_red_team_a_comment_with_a_phone_is_hidden_when_screened_again(
    app, member_setup, published
):
    meeting, _ = published
    with app.app_context():
        author = db.session.get(User, member_setup["member"].id)
        db.session.add(
            Comment(
                meeting_id=meeting.id,
                author_id=author.id,
                body="Ring 07700 900123.",
                html="<p>Ring 07700 900123.</p>",
            )
        )
        db.session.flush()
        assert comments.rescreen(db.session.get(Meeting, meeting.id)) == 1


def test_network_terms_are_protected_in_comments(client, app, member_setup, auth, published):
    meeting, _ = published
    with app.app_context():
        from notes_app.models import Network

        db.session.get(Network, member_setup["network"].id).terms = ["Operation Heron"]
        db.session.commit()
    auth.login(member_setup["member"])
    response = post_comment(client, meeting, "What about operation heron?")
    assert response.status_code == 422
    assert html_lib.escape(comments.REFUSED) in response.get_data(as_text=True)
    assert rows(app) == []


def grant_name_consent(app, meeting, decision="granted"):
    with app.app_context():
        item = db.session.scalars(
            db.select(Item).where(Item.meeting_id == meeting.id, Item.kind == "statement")
        ).first()
        robin = db.session.scalars(db.select(Speaker).where(Speaker.meeting_id == meeting.id)).one()
        db.session.add(
            ConsentRecord(
                meeting_id=meeting.id,
                speaker_id=robin.id,
                item_id=item.id,
                decision=decision,
                level="name" if decision == "granted" else None,
                label="Dr Robin Example" if decision == "granted" else "",
                wording_hash=wording_hash(item.body),
                channel="on_behalf",
                evidence="email of 1 March",
            )
        )
        db.session.commit()


def test_a_named_speaker_may_be_named_and_rescreen_hides_it_after_withdrawal(
    client, app, make_client, member_setup, auth, published, search_calls
):
    meeting, _ = published
    grant_name_consent(app, meeting)
    auth.login(member_setup["member"])
    canary = "Robin Example made the best point of the day"
    kept = posted_id(post_comment(client, meeting, canary))
    other = posted_id(post_comment(client, meeting, "Nothing about anyone."))
    search_calls.clear()
    grant_name_consent(app, meeting, decision="withdrawn")
    with app.app_context():
        assert comments.rescreen(db.session.get(Meeting, meeting.id)) == 1
        db.session.commit()
        hidden = db.session.get(Comment, kept)
        assert hidden.hidden_at is not None and hidden.hidden_by_id is None
        assert hidden.hidden_reason == comments.RESCREEN_REASON
        assert db.session.get(Comment, other).hidden_at is None
        assert comments.rescreen(db.session.get(Meeting, meeting.id)) == 0
    assert search_calls == [("remove", kept)]
    reader = make_client()
    post_form(reader, "/login", {"email": "fac@example.org", "password": PASSWORD})
    assert canary in notes_page(reader, meeting)  # facilitators still see it, with the reason
    assert comments.RESCREEN_REASON in notes_page(reader, meeting)
    as_member(auth, member_setup)
    page = notes_page(client, meeting)
    assert canary not in page and "Robin" not in main_of(page)


# Anonymous, edit, delete, hide ------------------------------------------------------------------


def test_anonymous_comments_show_a_member_to_members_and_the_name_to_facilitators(
    client, app, make_client, member_setup, auth, published, create_user, add_member
):
    meeting, _ = published
    canary_name = "Quentin Canary-Writer"
    writer = create_user("quentin@example.org", canary_name)
    add_member(member_setup["network"], writer)
    auth.login(writer)
    form_page = notes_page(client, meeting)
    assert "Post without my name" in form_page
    assert "Facilitators can still see that you wrote it." in form_page
    comment_id = posted_id(post_comment(client, meeting, "Said without my name.", anonymous="y"))
    own = notes_page(client, meeting)
    assert "posted without your name" in own and "Edit" in own  # the author keeps control
    as_member(auth, member_setup)
    page = notes_page(client, meeting)
    assert "Said without my name." in page
    assert canary_name not in page and "quentin@example.org" not in page
    card = page.split(f'id="comment-{comment_id}"', 1)[1].split("</li>", 1)[0]
    assert '<span class="comment-author">a member</span>' in card
    as_member(auth, member_setup, "facilitator")
    page = notes_page(client, meeting)
    card = page.split(f'id="comment-{comment_id}"', 1)[1].split("</li>", 1)[0]
    assert canary_name in card and "posted without their name" in card


def test_the_author_edits_and_the_comment_shows_edited_with_the_time(
    client, app, make_client, member_setup, auth, published, search_calls
):
    meeting, _ = published
    auth.login(member_setup["member"])
    comment_id = posted_id(post_comment(client, meeting, "First wording."))
    url = f"{base(meeting)}/comments/{comment_id}/edit"
    form = client.get(url)
    assert form.status_code == 200 and "First wording." in form.get_data(as_text=True)
    refused = post_form(client, url, {"body": "Now with Robin in it."})
    assert refused.status_code == 422 and "Now with Robin in it." in refused.get_data(as_text=True)
    assert rows(app)[0].body == "First wording."
    response = post_form(client, url, {"body": "Second wording."})
    assert response.status_code == 302 and response.location.endswith(f"#comment-{comment_id}")
    stored = rows(app)[0]
    assert stored.body == "Second wording." and stored.edited_at is not None
    page = notes_page(client, meeting)
    assert "Second wording." in page and "First wording." not in page
    assert re.search(r'edited <time datetime="[^"]+">', page)
    assert search_calls == [
        ("index", comment_id, "First wording."),
        ("index", comment_id, "Second wording."),
    ]
    # Nobody else can edit or delete it: the pages do not exist for them.
    as_member(auth, member_setup, "facilitator")
    assert client.get(url).status_code == 404
    assert client.get(f"{base(meeting)}/comments/{comment_id}/delete").status_code == 404
    token = csrf_token(client.get("/account/").get_data(as_text=True))
    assert client.post(url, data={"csrf_token": token, "body": "Hijack"}).status_code == 404
    assert rows(app)[0].body == "Second wording."


def test_a_deleted_comment_with_replies_leaves_a_placeholder_and_without_disappears(
    client, app, make_client, member_setup, auth, published, search_calls
):
    meeting, _ = published
    auth.login(member_setup["member"])
    top = posted_id(post_comment(client, meeting, "CANARY-TOP will be deleted."))
    lonely = posted_id(post_comment(client, meeting, "CANARY-LONELY will be deleted."))
    replier = make_client()
    post_form(replier, "/login", {"email": "fac@example.org", "password": PASSWORD})
    posted_id(post_comment(replier, meeting, "A reply that stays.", parent_id=top))
    for comment_id in (top, lonely):
        url = f"{base(meeting)}/comments/{comment_id}/delete"
        assert "Delete your comment?" in client.get(url).get_data(as_text=True)
        assert post_form(client, url, {}).status_code == 302
    assert [call for call in search_calls if call[0] == "remove"] == [
        ("remove", top),
        ("remove", lonely),
    ]
    for viewer in (client, replier):
        page = notes_page(viewer, meeting)
        assert "CANARY-TOP" not in page and "CANARY-LONELY" not in page
        assert f'id="comment-{top}"' in page and "Comment deleted" in page
        assert f'id="comment-{lonely}"' not in page
        assert "A reply that stays." in page
    stored = {c.id: c for c in rows(app, meeting)}
    assert stored[top].body == "" and stored[top].html == "" and stored[top].deleted_at
    # Deleted is final: no second delete, no edit, no reply.
    assert client.get(f"{base(meeting)}/comments/{top}/delete").status_code == 404
    assert client.get(f"{base(meeting)}/comments/{top}/edit").status_code == 404
    assert post_comment(client, meeting, "Late reply", parent_id=top).status_code == 422


def test_facilitators_hide_with_a_reason_members_no_longer_see_it(
    client, app, make_client, member_setup, auth, published, search_calls
):
    meeting, _ = published
    auth.login(member_setup["member"])
    canary = "CANARY-RUDE this is rude"
    hidden = posted_id(post_comment(client, meeting, canary))
    threaded = posted_id(post_comment(client, meeting, "CANARY-THREAD will be hidden."))
    posted_id(post_comment(client, meeting, "A reply under it.", parent_id=threaded))
    # Members cannot reach the hide page.
    assert client.get(f"{base(meeting)}/comments/{hidden}/hide").status_code == 404
    facilitator = make_client()
    post_form(facilitator, "/login", {"email": "fac@example.org", "password": PASSWORD})
    url = f"{base(meeting)}/comments/{hidden}/hide"
    assert post_form(facilitator, url, {"reason": "  "}).status_code == 422
    assert rows(app)[0].hidden_at is None
    response = post_form(facilitator, url, {"reason": "Rude to another member"})
    assert response.status_code == 302
    url = f"{base(meeting)}/comments/{threaded}/hide"
    post_form(facilitator, url, {"reason": "REASON-CANARY off topic"})
    assert [call for call in search_calls if call[0] == "remove"] == [
        ("remove", hidden),
        ("remove", threaded),
    ]
    with app.app_context():
        events = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "comment_hidden")
        ).all()
        assert [e.details["comment"] for e in events] == [hidden, threaded]
        assert events[0].actor_id == member_setup["facilitator"].id
    staff = notes_page(facilitator, meeting)
    assert canary in staff and "Rude to another member" in staff and "Fay Facilitator" in staff
    # Another member sees neither hidden text nor reason; the thread keeps a neutral placeholder.
    other = make_client()
    post_form(other, "/login", {"email": "admin@example.org", "password": PASSWORD})
    with app.app_context():
        from notes_app.services import networks

        networks.add_member(
            db.session.get(networks.Network, member_setup["network"].id),
            db.session.get(User, member_setup["admin"].id),
            "member",
            actor_id=None,
        )
        db.session.commit()
    page = notes_page(other, meeting)
    for secret in (canary, "CANARY-THREAD", "Rude to another member", "REASON-CANARY"):
        assert secret not in page
    assert f'id="comment-{hidden}"' not in page
    assert "Comment hidden by a facilitator" in page and "A reply under it." in page
    # The author learns that and why, without the text being shown to anyone else.
    own = notes_page(client, meeting)
    assert "A facilitator hid your comment from other members: Rude to another member" in own
    assert canary not in own
    assert client.get(f"{base(meeting)}/comments/{hidden}/edit").status_code == 302
    assert post_comment(client, meeting, "Reply", parent_id=threaded).status_code == 422


# Notifications ------------------------------------------------------------------------------


def test_a_reply_emails_the_author_through_the_outbox(
    client, app, make_client, member_setup, auth, published
):
    meeting, _ = published
    auth.login(member_setup["member"])
    top = posted_id(post_comment(client, meeting, "Top."))
    posted_id(post_comment(client, meeting, "Replying to myself.", parent_id=top))
    assert outbox(app) == []  # not to yourself
    other = make_client()
    post_form(other, "/login", {"email": "fac@example.org", "password": PASSWORD})
    reply = posted_id(
        post_comment(other, meeting, "Anonymous reply.", parent_id=top, anonymous="y")
    )
    (message,) = outbox(app)
    assert message.recipient == "mem@example.org" and message.kind == "reply"
    assert message.text.startswith("A member replied to your comment")
    assert "Fay Facilitator" not in message.text and "Anonymous reply." not in message.text
    assert f"/notes#comment-{reply}" in message.text and "/account/" in message.text
    assert message.ref == f"comment:{reply}"
    posted_id(post_comment(other, meeting, "Named reply.", parent_id=top))
    assert outbox(app)[-1].text.startswith("Fay Facilitator replied")


def test_no_reply_email_when_switched_off_or_no_longer_a_member(
    client, app, make_client, member_setup, auth, published
):
    meeting, _ = published
    auth.login(member_setup["member"])
    top = posted_id(post_comment(client, meeting, "Top."))
    post_form(client, "/account/", {"name": "Max Member"})  # the box unticked
    with app.app_context():
        assert db.session.get(User, member_setup["member"].id).notify_replies is False
    other = make_client()
    post_form(other, "/login", {"email": "fac@example.org", "password": PASSWORD})
    posted_id(post_comment(other, meeting, "First reply.", parent_id=top))
    assert outbox(app) == []
    with app.app_context():
        db.session.get(User, member_setup["member"].id).notify_replies = True
        membership = db.session.scalars(
            db.select(Membership).where(Membership.user_id == member_setup["member"].id)
        ).one()
        db.session.delete(membership)
        db.session.commit()
    posted_id(post_comment(other, meeting, "Second reply.", parent_id=top))
    assert outbox(app) == []


def test_the_reply_email_does_not_carry_a_protected_meeting_title(
    client, app, make_client, member_setup, auth, create_meeting
):
    meeting = create_meeting(member_setup["network"], "Robin Example on patients", NOTES_FILE)
    publish_now(app, meeting)
    auth.login(member_setup["member"])
    top = posted_id(post_comment(client, meeting, "Top."))
    assert "Robin" not in main_of(notes_page(client, meeting))
    other = make_client()
    post_form(other, "/login", {"email": "fac@example.org", "password": PASSWORD})
    posted_id(post_comment(other, meeting, "Reply.", parent_id=top))
    (message,) = outbox(app)
    assert "Robin" not in message.subject and "Robin" not in message.text


# Anchors across republication ---------------------------------------------------------------


def test_item_anchors_survive_republication_and_removed_items_are_marked(
    client, app, member_setup, auth, published
):
    meeting, items = published
    auth.login(member_setup["member"])
    kept = posted_id(post_comment(client, meeting, "On the note that changes.", item_id=items[2]))
    gone = posted_id(post_comment(client, meeting, "On the heading that goes.", item_id=items[0]))
    with app.app_context():
        row = db.session.get(Meeting, meeting.id)
        note = drafts.get_item(row, items[2])
        drafts.save_item(
            row,
            items[2],
            drafts.ItemChange(
                kind=ItemKind(note.kind), body="Members discussed fair payment at length."
            ),
            expected_version=note.version,
            actor_id=None,
        )
        heading = drafts.get_item(row, items[0])
        drafts.delete_item(row, items[0], expected_version=heading.version, actor_id=None)
        db.session.commit()
    publication = publish_now(app, meeting)
    assert publication.version == 2
    page = notes_page(client, meeting)
    after_item = page.split(f'id="item-{items[2]}"', 1)[1].split('id="discussion"', 1)[0]
    assert "fair payment at length" in after_item and f'id="comment-{kept}"' in after_item
    removed = page.split("Comments on a part no longer in the notes", 1)[1]
    assert f'id="comment-{gone}"' in removed and "Involving patients early" not in page


# Access ---------------------------------------------------------------------------------------


def comment_routes(meeting, comment_id):
    prefix = f"{base(meeting)}/comments"
    return [
        ("POST", prefix),
        ("GET", f"{prefix}/{comment_id}/edit"),
        ("POST", f"{prefix}/{comment_id}/edit"),
        ("GET", f"{prefix}/{comment_id}/delete"),
        ("POST", f"{prefix}/{comment_id}/delete"),
        ("GET", f"{prefix}/{comment_id}/hide"),
        ("POST", f"{prefix}/{comment_id}/hide"),
        ("GET", f"{base(meeting)}/notes"),
    ]


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_people_outside_the_network_get_404_everywhere(
    client, app, make_client, member_setup, auth, published, who
):
    meeting, _ = published
    author = make_client()
    post_form(author, "/login", {"email": "mem@example.org", "password": PASSWORD})
    comment_id = posted_id(post_comment(author, meeting, "CANARY-INSIDE"))
    auth.login(member_setup[who])
    token = csrf_token(client.get("/account/").get_data(as_text=True))
    data = {"csrf_token": token, "body": "x", "reason": "x"}
    for method, url in comment_routes(meeting, comment_id):
        response = client.open(url, method=method, data=data if method == "POST" else None)
        assert response.status_code == 404, (method, url)
        assert "CANARY-INSIDE" not in response.get_data(as_text=True)
    stored = rows(app)
    assert len(stored) == 1 and stored[0].body == "CANARY-INSIDE" and stored[0].hidden_at is None


def test_a_comment_is_reached_only_through_its_own_meeting(
    client, app, member_setup, auth, published, create_meeting
):
    meeting, _ = published
    other = create_meeting(member_setup["network"], "Another meeting", notes=NOTES_FILE)
    publish_now(app, other)
    auth.login(member_setup["member"])
    comment_id = posted_id(post_comment(client, meeting, "Mine."))
    assert client.get(f"{base(other)}/comments/{comment_id}/edit").status_code == 404
    assert post_comment(client, other, "Reply across", parent_id=comment_id).status_code == 404


def test_comments_stay_out_of_print_preview_export_and_emails(
    client, app, member_setup, auth, published
):
    meeting, _ = published
    auth.login(member_setup["member"])
    posted_id(post_comment(client, meeting, "CANARY-COMMENT on the whole."))
    as_member(auth, member_setup, "facilitator")
    assert "CANARY-COMMENT" in notes_page(client, meeting)
    for suffix in ("/notes/print", "/notes.md", "/preview"):
        response = client.get(base(meeting) + suffix)
        assert response.status_code == 200
        assert "CANARY-COMMENT" not in response.get_data(as_text=True), suffix
    publish_now(app, meeting)
    messages = outbox(app, kind="notes")
    assert messages and all("CANARY-COMMENT" not in m.text + m.html for m in messages)


def test_the_notes_page_has_unique_ids_and_no_inline_script_or_style(
    client, member_setup, auth, published
):
    meeting, items = published
    auth.login(member_setup["member"])
    top = posted_id(post_comment(client, meeting, "Top.", item_id=items[1]))
    posted_id(post_comment(client, meeting, "Reply.", parent_id=top))
    as_member(auth, member_setup, "facilitator")
    page = notes_page(client, meeting)
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [i for i, n in ids.items() if n > 1] == []
    for target in re.findall(r'\sfor="([^"]+)"', page):
        assert target in ids, target
    assert "<script" not in page and "<style" not in page and " style=" not in page
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", page)


def test_policy_rules_for_comments():
    member = Actor(user_id=1, roles={7: Role.MEMBER})
    facilitator = Actor(user_id=2, roles={7: Role.FACILITATOR})
    admin = Actor(user_id=3, is_admin=True)
    assert policy.can_comment(member, 7) and policy.can_comment(facilitator, 7)
    assert not policy.can_comment(admin, 7) and not policy.can_comment(member, 8)
    assert policy.can_moderate_comments(facilitator, 7)
    assert not policy.can_moderate_comments(member, 7) and not policy.can_moderate_comments(
        admin, 7
    )
    assert policy.can_change_comment(member, 1) and not policy.can_change_comment(facilitator, 1)
    assert not policy.can_change_comment(policy.ANONYMOUS, None)


# Concurrency ----------------------------------------------------------------------------------


def test_twenty_clients_post_at_the_same_time_and_every_comment_is_stored(
    app, member_setup, create_user, add_member, published
):
    meeting, items = published
    seed = make_logged_in_client(app, member_setup["facilitator"], 0)
    top = posted_id(post_comment(seed, meeting, "Seed comment to reply to."))
    clients, tokens = [], []
    for n in range(1, 21):
        user = create_user(f"writer{n}@example.org", f"Writer {n}")
        add_member(member_setup["network"], user)
        client = make_logged_in_client(app, user, n)
        clients.append(client)
        tokens.append(csrf_token(notes_page(client, meeting)))
    barrier = threading.Barrier(len(clients))
    results: dict[int, tuple[int, str]] = {}

    def write(n: int) -> None:
        data = {"csrf_token": tokens[n], "body": f"Concurrent comment number {n}."}
        if n % 2:
            data["parent_id"] = str(top)
        else:
            data["item_id"] = items[1 + n % 3]
        barrier.wait()
        response = clients[n].post(f"{base(meeting)}/comments", data=data)
        results[n] = (response.status_code, response.get_data(as_text=True)[:500])

    threads = [threading.Thread(target=write, args=(n,)) for n in range(len(clients))]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert time.monotonic() - started < 30
    assert {status for status, _ in results.values()} == {302}, results
    bodies = sorted(c.body for c in rows(app, meeting))
    expected = sorted([f"Concurrent comment number {n}." for n in range(20)])
    assert bodies == sorted([*expected, "Seed comment to reply to."])
    assert len(outbox(app)) == 10  # one per reply to the facilitator's comment


def make_logged_in_client(app, user, n: int):
    client = app.test_client()
    # Each client from its own address, so the login rate limit does not pool them.
    client.environ_base["REMOTE_ADDR"] = f"10.0.0.{n + 1}"
    response = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


# Queries ----------------------------------------------------------------------------------------


def notes_with_items(count: int) -> str:
    front = NOTES_FILE.split("---\n\n", 1)[0] + "---\n\n"
    blocks = ["# Opening"] + [
        f"Point number {n} from the discussion, about data and trust." for n in range(count - 1)
    ]
    return front + "\n\n".join(blocks) + "\n"


def fill_comments(app, meeting, item_ids: list[str], count: int, authors: list[int]) -> None:
    """Store comments directly (fast): a mix of every state the page distinguishes."""
    with app.app_context():
        html = render_markdown("A **comment** with [a link](https://example.net/x).")
        tops: list[Comment] = []
        for n in range(count):
            replying = tops and n % 3 == 2
            parent = tops[n % len(tops)] if replying else None
            if parent is not None:
                item_id = parent.item_id
            elif n % 10 == 0:
                item_id = None
            elif n % 10 == 1:
                item_id = f"gone{n}"
            else:
                item_id = item_ids[n % len(item_ids)]
            comment = Comment(
                meeting_id=meeting.id,
                item_id=item_id,
                parent_id=parent.id if parent else None,
                author_id=authors[n % len(authors)],
                anonymous=n % 7 == 0,
                body="A **comment**",
                html=html,
            )
            if n % 11 == 0:
                comment.hidden_at = comment.created_at = publishing_time()
                comment.hidden_reason = "Off topic"
                comment.hidden_by_id = authors[0]
            if n % 13 == 0:
                comment.deleted_at = publishing_time()
                comment.body = comment.html = ""
            db.session.add(comment)
            db.session.flush()
            if parent is None:
                tops.append(comment)
        db.session.commit()


def publishing_time():
    from notes_app.models.types import utcnow

    return utcnow()


def count_queries(app, client, url: str) -> tuple[int, str]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["member", "facilitator"])
def test_the_notes_page_runs_the_same_queries_for_100_items_and_300_comments(
    app, client, member_setup, auth, create_meeting, create_user, add_member, who
):
    small = create_meeting(member_setup["network"], "Small", notes=notes_with_items(3))
    large = create_meeting(member_setup["network"], "Large", notes=notes_with_items(100))
    small_items = [i["id"] for i in publish_now(app, small).items]
    large_items = [i["id"] for i in publish_now(app, large).items]
    assert len(large_items) == 100
    authors = []
    for n in range(30):
        user = create_user(f"author{n}@example.org", f"Author {n}")
        add_member(member_setup["network"], user)
        authors.append(user.id)
    fill_comments(app, small, small_items, 1, authors)
    fill_comments(app, large, large_items, 300, authors)
    auth.login(member_setup[who])
    client.get(f"{base(small)}/notes")  # warm up caches shared by every page
    small_count, _ = count_queries(app, client, f"{base(small)}/notes")
    started = time.monotonic()
    large_count, page = count_queries(app, client, f"{base(large)}/notes")
    elapsed = time.monotonic() - started
    assert page.count('class="comment ') > 200
    assert "Comments on a part no longer in the notes" in page
    print(f"queries: small page {small_count}, large page {large_count}; {len(page)} bytes")
    assert large_count == small_count, (small_count, large_count)
    # 12, and the meeting's protection read once for the bylines (speakers, items, consents,
    # network terms: tests/test_comments.py::test_red_team_byline_with_a_protected_term).
    assert small_count <= 16
    assert elapsed < 5
