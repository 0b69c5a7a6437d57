"""Search finds what members may read, and nothing else: canaries planted everywhere else."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from notes_app.domain.rendering import render_markdown
from notes_app.extensions import db
from notes_app.models import Comment, Item, Meeting, Network, User
from notes_app.services import accounts, drafts, publishing, search

# A speaker who has not consented: their name, alias, email and organisation are scrubbed.
NOTES = """---
speakers:
  - handle: quill
    name: Quillon Zarkavitch
    organisation: Vexmoor Institute
    email: quillon@vexmoor.example
    aliases: [Blorptastic]
    descriptor: a speaker from a research institute
terms: [Froobnicator]
---

# Shaping research together

@quill: Patients should shape the snorkelwise research agenda from the start.

Members discussed fair pay; Quillon Zarkavitch of Vexmoor Institute agreed with them.

[confidential] @quill: The funder will cut the zephyrquark programme next year.

@quill: Co-production took longer [confidential]because of the plinthwobble dispute[/confidential], and it changed the questions.

Blorptastic said the Froobnicator pilot and the Glimmerhaven review are done; write to quillon@vexmoor.example.
"""

PUBLISHED_WORD = "snorkelwise"
DRAFT_ONLY = "quasarflint"
HIDDEN_COMMENT = "xylophoneghost"
DELETED_COMMENT = "marzipanlantern"
FORGOTTEN_HIDDEN = "turnipcathedral"  # hidden without a call to remove_comment
VISIBLE_COMMENT = "crumpetfest"
CANARIES = {
    "draft only": DRAFT_ONLY,
    "confidential item": "zephyrquark",
    "confidential span": "plinthwobble",
    "speaker name": "Zarkavitch",
    "speaker given name": "Quillon",
    "speaker alias": "Blorptastic",
    "speaker email": "quillon@vexmoor.example",
    "speaker organisation": "Vexmoor",
    "meeting term": "Froobnicator",
    "network term": "Glimmerhaven",
    "hidden comment": HIDDEN_COMMENT,
    "deleted comment": DELETED_COMMENT,
    "comment hidden without removal": FORGOTTEN_HIDDEN,
    "anonymous author's name": "Wendeline",
}
ROLES = ["member", "facilitator", "admin", "outsider"]


def publish(app, meeting, by):
    with app.app_context():
        publication = publishing.publish(
            db.session.get(Meeting, meeting.id), actor_id=by.id, accept_warnings=True
        )
        db.session.commit()
        return publication


def republish_replacing(app, meeting, by, old: str, new: str):
    """Change words in the draft, then publish the next version."""
    with app.app_context():
        row = db.session.get(Meeting, meeting.id)
        drafts.import_notes(row, drafts.export_draft(row).replace(old, new), actor_id=None)
        db.session.commit()
    return publish(app, meeting, by)


def actor_of(user):
    return accounts.actor_for(db.session.get(User, user.id))


def add_comment(app, meeting, author, body, *, anonymous=False, item_id=None):
    """Store a comment as the comments service does, and index it."""
    with app.app_context():
        comment = Comment(
            meeting_id=meeting.id,
            author_id=author.id,
            anonymous=anonymous,
            item_id=item_id,
            body=body,
            html=render_markdown(body),
        )
        db.session.add(comment)
        db.session.flush()
        search.index_comment(comment)
        db.session.commit()
        return comment


def results_section(html: str) -> str:
    """The part of the search page below the form (the form echoes the query)."""
    return html.split('id="results-heading"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def notes(app, member_setup, create_meeting, create_user, add_member):
    """Published notes with canaries in every place members must not see, and comments."""
    meeting = create_meeting(member_setup["network"], "Research together", notes=NOTES)
    with app.app_context():
        # After create_meeting, which merges the fixture's (stale) copy of the network.
        db.session.get(Network, member_setup["network"].id).terms = ["Glimmerhaven"]
        db.session.commit()
    publish(app, meeting, member_setup["facilitator"])
    with app.app_context():
        # The draft moves on after publishing; the new words are not published.
        drafts.import_notes(
            db.session.get(Meeting, meeting.id),
            NOTES + f"\nA draft-only thought about {DRAFT_ONLY}.\n",
            actor_id=None,
        )
        db.session.commit()
    member, facilitator = member_setup["member"], member_setup["facilitator"]
    with app.app_context():
        db.session.get(User, member.id).name = "Maxwell Member"
        db.session.commit()
    add_comment(app, meeting, member, f"I agree about {VISIBLE_COMMENT}.")
    shy = create_user("shy@example.org", "Wendeline Quorn")
    add_member(member_setup["network"], shy, "member")
    add_comment(app, meeting, shy, "Signed by nobody, a quieter thought.", anonymous=True)
    hidden = add_comment(app, meeting, member, f"Off topic {HIDDEN_COMMENT}.")
    deleted = add_comment(app, meeting, member, f"Second thoughts {DELETED_COMMENT}.")
    forgotten = add_comment(app, meeting, facilitator, f"About {FORGOTTEN_HIDDEN}.")
    with app.app_context():
        now = datetime.now(UTC)
        row = db.session.get(Comment, hidden.id)
        row.hidden_at, row.hidden_reason = now, "Off topic"
        search.remove_comment(row)
        row = db.session.get(Comment, deleted.id)
        row.deleted_at, row.body, row.html = now, "", ""
        search.remove_comment(row)
        db.session.get(Comment, forgotten.id).hidden_at = now
        db.session.commit()
    return meeting


def test_a_member_finds_a_published_word_with_a_highlighted_snippet_and_a_link(
    client, member_setup, auth, notes, app
):
    with app.app_context():
        item = db.session.scalars(
            db.select(Item).where(Item.meeting_id == notes.id, Item.body.contains(PUBLISHED_WORD))
        ).one()
    auth.login(member_setup["member"])
    page = client.get(f"/search?q={PUBLISHED_WORD}").get_data(as_text=True)
    found = results_section(page)
    assert f"<mark>{PUBLISHED_WORD}</mark>" in found
    assert f'href="/n/river-network/m/{notes.slug}/notes#item-{item.id}"' in found
    assert "Research together" in found


@pytest.mark.parametrize("who", ROLES)
def test_no_query_finds_a_canary_whoever_searches(app, client, member_setup, auth, notes, who):
    auth.login(member_setup[who])
    with app.app_context():
        actor = actor_of(member_setup[who])
        for where, canary in CANARIES.items():
            assert search.search(actor, canary) == [], f"the {where} was found"
            page = client.get("/search", query_string={"q": canary}).get_data(as_text=True)
            assert "No results." in results_section(page), f"the {where} was found"
            assert canary.casefold() not in results_section(page).casefold()
        everything = " OR ".join(CANARIES.values())
        assert search.search(actor, everything) == []
        # The control: the same searcher finds published text exactly when they are a member.
        found = search.search(actor, PUBLISHED_WORD)
        assert bool(found) == (who in ("member", "facilitator"))


def test_the_index_holds_no_canary_at_all(app, notes):
    """Below the search: no row of the index carries a canary, in any column."""
    with app.app_context():
        rows = db.session.execute(db.select(search.entries)).mappings().all()
    assert rows
    stored = " ".join(str(value) for row in rows for value in row.values()).casefold()
    for where, canary in CANARIES.items():
        if where != "comment hidden without removal":  # kept out at query time instead
            assert canary.casefold() not in stored, f"the {where} is in the index"
    assert PUBLISHED_WORD in stored


def without_csrf_token(page):
    return re.sub(r'name="csrf_token"[^>]*value="[^"]*"', 'name="csrf_token"', page)


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_non_members_get_no_results_and_no_counts(client, member_setup, auth, notes, who):
    auth.login(member_setup[who])
    found = client.get(f"/search?q={PUBLISHED_WORD}").get_data(as_text=True)
    nothing = client.get("/search?q=nonexistentword").get_data(as_text=True)
    assert "No results." in results_section(found)
    # Whether or not something would match, the page is the same: nothing to count. (The CSRF
    # token carries a timestamp, so two requests a second apart differ there and only there.)
    assert without_csrf_token(found.replace(PUBLISHED_WORD, "nonexistentword")) == (
        without_csrf_token(nothing)
    )
    assert (
        client.get(f"/search?q={PUBLISHED_WORD}&network=river-network")
        .get_data(as_text=True)
        .count("No results.")
    )


def test_comments_are_found_anonymous_ones_without_their_author(
    app, client, member_setup, auth, notes
):
    auth.login(member_setup["facilitator"])
    page = results_section(client.get(f"/search?q={VISIBLE_COMMENT}").get_data(as_text=True))
    assert "Comment by Maxwell Member" in page and f"<mark>{VISIBLE_COMMENT}</mark>" in page
    with app.app_context():
        comment_id = db.session.scalar(
            db.select(Comment.id).where(Comment.body.contains(VISIBLE_COMMENT))
        )
    assert f"/notes#comment-{comment_id}" in page
    page = results_section(client.get("/search?q=quieter").get_data(as_text=True))
    assert "Comment by a member" in page and "Wendeline" not in page


def test_a_snippet_is_escaped(app, client, member_setup, auth, notes):
    add_comment(app, notes, member_setup["member"], "Try <script>alert(1)</script> wobblecake")
    auth.login(member_setup["member"])
    page = results_section(client.get("/search?q=wobblecake").get_data(as_text=True))
    assert "<mark>wobblecake</mark>" in page
    assert "<script" not in page and "&lt;script&gt;" in page


def test_index_comment_refuses_hidden_and_deleted_comments(app, member_setup, notes):
    for field in ("hidden_at", "deleted_at"):
        comment = add_comment(app, notes, member_setup["member"], f"Word {field}flute")
        with app.app_context():
            row = db.session.get(Comment, comment.id)
            setattr(row, field, datetime.now(UTC))
            search.index_comment(row)  # as an edit would, forgetting the comment is removed
            db.session.commit()
            actor = actor_of(member_setup["facilitator"])
            assert search.search(actor, f"{field}flute") == []
            assert (
                db.session.scalar(
                    db.select(db.func.count())
                    .select_from(search.entries)
                    .where(search.entries.c.comment_id == comment.id)
                )
                == 0
            )


def test_republishing_replaces_the_old_text(app, member_setup, notes):
    republish_replacing(app, notes, member_setup["facilitator"], PUBLISHED_WORD, "tambourine")
    with app.app_context():
        actor = actor_of(member_setup["member"])
        assert search.search(actor, PUBLISHED_WORD) == []
        assert [r.kind for r in search.search(actor, "tambourine")] == ["item"]
        # Comments stay searchable after the notes are re-made.
        assert [r.kind for r in search.search(actor, VISIBLE_COMMENT)] == ["comment"]
        # Indexing again is idempotent: the meeting's rows are replaced, not added to.
        before = db.session.scalar(db.select(db.func.count()).select_from(search.entries))
        meeting = db.session.get(Meeting, notes.id)
        search.index_publication(meeting, publishing.latest_publication(meeting))
        after = db.session.scalar(db.select(db.func.count()).select_from(search.entries))
        assert before == after


def test_an_older_version_re_indexed_does_not_replace_the_latest(app, member_setup, notes):
    republish_replacing(app, notes, member_setup["facilitator"], PUBLISHED_WORD, "tambourine")
    with app.app_context():
        meeting = db.session.get(Meeting, notes.id)
        search.index_publication(meeting, publishing.get_publication(meeting, 1))
        actor = actor_of(member_setup["member"])
        assert search.search(actor, PUBLISHED_WORD) == []
        assert search.search(actor, "tambourine")


def test_the_title_is_searchable_and_scrubbed(app, client, member_setup, auth, create_meeting):
    meeting = create_meeting(member_setup["network"], "Quillon Zarkavitch on gardens", notes=NOTES)
    publish(app, meeting, member_setup["facilitator"])
    auth.login(member_setup["member"])
    page = results_section(client.get("/search?q=gardens").get_data(as_text=True))
    assert "<mark>gardens</mark>" not in page  # a title hit shows the title, not a snippet
    assert "on gardens" in page and "Zarkavitch" not in page and "Quillon" not in page
    assert f'href="/n/river-network/m/{meeting.slug}/notes"' in page
    for canary in ("Zarkavitch", "Quillon"):
        assert "No results." in results_section(
            client.get(f"/search?q={canary}").get_data(as_text=True)
        )


def test_members_find_only_their_own_networks(
    app, client, member_setup, auth, notes, create_network, create_meeting, create_user, add_member
):
    other = create_network("other-network", "Other network")
    stranger = create_user("stranger@example.org", "Sam Stranger")
    add_member(other, stranger, "facilitator")
    elsewhere = create_meeting(other, "Elsewhere", notes=f"Other people and {PUBLISHED_WORD}.\n")
    publish(app, elsewhere, stranger)
    with app.app_context():
        assert len(search.search(actor_of(member_setup["member"]), PUBLISHED_WORD)) == 1
        assert len(search.search(actor_of(stranger), PUBLISHED_WORD)) == 1
        assert search.search(actor_of(stranger), VISIBLE_COMMENT) == []
    auth.login(member_setup["member"])
    page = client.get(f"/search?q={PUBLISHED_WORD}&network=other-network").get_data(as_text=True)
    assert "No results." in results_section(page)
    page = client.get(f"/search?q={PUBLISHED_WORD}&network=river-network").get_data(as_text=True)
    assert f"<mark>{PUBLISHED_WORD}</mark>" in results_section(page)


def test_a_member_who_leaves_finds_nothing(app, member_setup, notes):
    from notes_app.models import Membership

    with app.app_context():
        db.session.execute(
            db.delete(Membership).where(Membership.user_id == member_setup["member"].id)
        )
        db.session.commit()
        assert search.search(actor_of(member_setup["member"]), PUBLISHED_WORD) == []


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!!",
        '"',
        '"snorkelwise',
        "NEAR(snorkelwise",
        "snorkel*",
        "-snorkelwise",
        "snorkelwise OR",
        "body:snorkelwise",
        "^snorkelwise",
        "snorkelwise AND NOT",
        "(((",
        "\x00snorkelwise",
        "'; DROP TABLE search_entries; --",
        "snorkelwise " * 500,
    ],
)
def test_any_query_is_safe(client, member_setup, auth, notes, query):
    auth.login(member_setup["member"])
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    if not query.strip(" !\"'(") or not re.search(r"\w", query):
        assert 'id="results-heading"' not in page or "No results." in page
    assert client.get(f"/search?q={PUBLISHED_WORD}").status_code == 200  # the index survived


def test_punctuation_is_not_syntax(app, member_setup, notes):
    with app.app_context():
        actor = actor_of(member_setup["member"])
        # Punctuation is dropped and the words all have to be there...
        for query in ('"snorkelwise', "snorkelwise*", "(snorkelwise)", "^snorkelwise"):
            assert search.search(actor, query), query
        assert search.search(actor, "snorkelwise agenda")
        assert search.search(actor, "snork*") == []  # no prefix queries
        if db.engine.dialect.name == "sqlite":
            # ...and FTS5's operators are plain words, which these notes do not contain
            # (PostgreSQL reads the query as web-search syntax instead: "OR", "-word").
            for query in (
                "snorkelwise OR zzzz",
                "snorkelwise NOT zzzz",
                "NEAR(snorkelwise agenda)",
            ):
                assert search.search(actor, query) == [], query


def test_search_needs_a_login(client):
    response = client.get("/search?q=x")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_the_header_has_a_labelled_search_box(client, member_setup, auth):
    auth.login(member_setup["member"])
    page = client.get("/").get_data(as_text=True)
    assert 'role="search"' in page
    assert re.search(r'<label for="header-search-q"[^>]*>[^<]+</label>', page)


def test_deleting_a_meeting_empties_its_rows(app, member_setup, notes):
    with app.app_context():
        db.session.delete(db.session.get(Meeting, notes.id))
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count()).select_from(search.entries)) == 0


def test_snippets_are_made_safe():
    start, stop = "\ue000", "\ue001"
    assert (
        str(search.highlight(f"a <b> {start}hit{stop} &")) == "a &lt;b&gt; <mark>hit</mark> &amp;"
    )
    assert "<mark>" not in str(search.highlight(f"{start}unbalanced"))
    assert search.plain_text("<p>a &lt;script&gt; <a href='/x'>link</a></p><p>b</p>") == (
        "a <script> link b"
    )


def test_the_upcoming_date_does_not_matter_to_search(app, member_setup, create_meeting):
    """A meeting without published notes is not searchable, whatever its draft says."""
    meeting = create_meeting(member_setup["network"], "Later", notes=NOTES)
    with app.app_context():
        row = db.session.get(Meeting, meeting.id)
        row.starts_at = datetime.now(UTC) + timedelta(days=30)
        db.session.commit()
        assert search.search(actor_of(member_setup["facilitator"]), PUBLISHED_WORD) == []
        assert search.search(actor_of(member_setup["facilitator"]), "Later") == []


def test_a_rebuild_indexes_the_same_rows_and_no_canary(app, member_setup, notes):
    def rows():
        columns = [c for c in search.entries.c if c.name != "id"]
        return sorted(tuple(r) for r in db.session.execute(db.select(*columns)).all())

    with app.app_context():
        before = rows()
        db.session.execute(db.delete(search.entries))
        assert search.search(actor_of(member_setup["member"]), PUBLISHED_WORD) == []
        assert search.rebuild() == 1
        db.session.commit()
        # The same rows, less the comment that was hidden without being removed.
        assert rows() == [row for row in before if FORGOTTEN_HIDDEN not in row[-1]]
        assert len(rows()) == len(before) - 1
        actor = actor_of(member_setup["facilitator"])
        assert search.search(actor, PUBLISHED_WORD) and search.search(actor, VISIBLE_COMMENT)
        for canary in CANARIES.values():
            assert search.search(actor, canary) == []


def test_the_search_and_home_pages_have_no_inline_script_or_style(
    client, member_setup, auth, notes
):
    auth.login(member_setup["member"])
    for path in (f"/search?q={PUBLISHED_WORD}", f"/search?q={VISIBLE_COMMENT}", "/", "/account/"):
        html = client.get(path).get_data(as_text=True)
        assert "<script" not in html and "<style" not in html and " style=" not in html
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html)


def test_the_rebuild_command(app, member_setup, notes):
    from tests.test_meetings import run_cli

    with app.app_context():
        db.session.execute(db.delete(search.entries))
        db.session.commit()
    result = run_cli(app, "search", "rebuild")
    assert result.exit_code == 0 and "Indexed 1 meeting(s)" in result.stdout
    with app.app_context():
        assert search.search(actor_of(member_setup["member"]), PUBLISHED_WORD)
