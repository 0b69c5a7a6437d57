"""The draft editor: items, imports, exports, revisions and edits without lost updates."""

import re
import threading

import pytest

from notes_app.extensions import db
from notes_app.models import DraftRevision, Item, Meeting
from tests.conftest import NOTES_FILE, csrf_token, post_form

BASE = "/n/river-network/m/{slug}"


@pytest.fixture
def draft(member_setup, create_meeting):
    meeting = create_meeting(member_setup["network"], "Patients first", notes=NOTES_FILE)
    return BASE.format(slug=meeting.slug), meeting


def items(app, meeting):
    with app.app_context():
        return db.session.scalars(
            db.select(Item).where(Item.meeting_id == meeting.id).order_by(Item.position)
        ).all()


def revision_sources(app, meeting):
    with app.app_context():
        return db.session.scalars(
            db.select(DraftRevision.source)
            .where(DraftRevision.meeting_id == meeting.id)
            .order_by(DraftRevision.number)
        ).all()


def export(client, base):
    response = client.get(f"{base}/draft/export")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    return response.get_data(as_text=True)


def squash(text):
    return " ".join(text.split())


def test_export_gives_back_the_imported_file(client, member_setup, auth, draft):
    base, _ = draft
    auth.login(member_setup["facilitator"])
    assert squash(export(client, base)) == squash(NOTES_FILE)


def test_the_editor_marks_confidential_items_and_spans(client, member_setup, auth, draft):
    base, _ = draft
    auth.login(member_setup["facilitator"])
    page = client.get(f"{base}/draft").get_data(as_text=True)
    assert page.count('class="flag-confidential"') == 1
    assert re.search(
        r'<mark class="confidential-span"[^>]*>.*because the council pulled out</mark>', page
    )


HEADED_NOTES = """---
speakers:
  - handle: robin
    name: Robin Example
---

# Public part

Shown [Confidential]hidden in any case[/CONFIDENTIAL] here.

## [confidential] Funding

Kestrelwing money is running out.

@robin: Also under the heading.

# Next

Shown again.
"""


def test_the_editor_flags_items_under_a_confidential_heading(
    client, member_setup, auth, create_meeting
):
    meeting = create_meeting(member_setup["network"], "Headed notes", notes=HEADED_NOTES)
    auth.login(member_setup["facilitator"])
    page = client.get(f"{BASE.format(slug=meeting.slug)}/draft").get_data(as_text=True)
    assert page.count(">Confidential item</strong>") == 1  # the heading itself
    assert page.count("Confidential: under a confidential heading") == 2
    flagged = re.findall(r'<li id="item-[^"]+" class="[^"]*is-confidential"', page)
    assert len(flagged) == 3
    assert re.search(r'<mark class="confidential-span"[^>]*>.*hidden in any case</mark>', page)


def test_a_facilitator_edits_adds_moves_and_deletes_items(app, client, member_setup, auth, draft):
    base, meeting = draft
    auth.login(member_setup["facilitator"])
    first, second = items(app, meeting)[:2]
    edit = f"{base}/draft/items/{second.id}"
    response = post_form(
        client,
        edit,
        {
            "kind": "statement",
            "speaker": "robin",
            "body": "Patients belong in the room.",
            "version": str(second.version),
        },
    )
    assert response.status_code == 302
    response = post_form(
        client, f"{base}/draft/items", {"kind": "note", "body": "A new note."}, page=f"{base}/draft"
    )
    assert response.status_code == 302
    assert items(app, meeting)[-1].body == "A new note."
    last = items(app, meeting)[-1]
    post_form(
        client,
        f"{base}/draft/items/{last.id}/move/up",
        {"version": str(last.version)},
        page=f"{base}/draft",
    )
    assert items(app, meeting)[-2].id == last.id
    post_form(
        client,
        f"{base}/draft/items/{first.id}/delete",
        {"version": str(first.version)},
        page=f"{base}/draft",
    )
    remaining = items(app, meeting)
    assert first.id not in [i.id for i in remaining]
    assert [i.position for i in remaining] == list(range(len(remaining)))
    assert second.id in [i.id for i in remaining]  # ids are stable across edits and moves
    assert len(revision_sources(app, meeting)) == 5


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"kind": "statement", "speaker": "", "body": "Who said it?"}, "needs a speaker"),
        (
            {"kind": "statement", "speaker": "nobody", "body": "Who?"},
            "unknown speaker handle @nobody",
        ),
        ({"kind": "note", "body": "An [confidential]unclosed span"}, "would not be valid"),
        ({"kind": "note", "body": "@robin: sneaks in a statement"}, "read back differently"),
        ({"kind": "note", "body": "two\n\nblocks"}, "read back as several"),
    ],
)
def test_an_item_that_cannot_be_written_is_refused(
    app, client, member_setup, auth, draft, form, message
):
    base, meeting = draft
    auth.login(member_setup["facilitator"])
    before = revision_sources(app, meeting)
    response = post_form(client, f"{base}/draft/items", form, page=f"{base}/draft")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert revision_sources(app, meeting) == before


def test_paste_replaces_the_draft_and_keeps_ids_of_unchanged_items(
    app, client, member_setup, auth, draft
):
    base, meeting = draft
    auth.login(member_setup["facilitator"])
    before = {i.body: i.id for i in items(app, meeting)}
    edited = NOTES_FILE.replace("pay people fairly", "pay participants fairly")
    page = client.get(f"{base}/draft").get_data(as_text=True)
    version = re.search(r'name="draft_version" type="hidden" value="(\d+)"', page).group(1)
    response = client.post(
        f"{base}/draft/paste",
        data={"csrf_token": csrf_token(page), "text": edited, "draft_version": version},
    )
    assert response.status_code == 302
    after = {i.body: i.id for i in items(app, meeting)}
    heading = "Involving patients early"
    assert after[heading] == before[heading]
    assert "Members discussed how to pay participants fairly for their time." in after


def test_a_bad_paste_names_the_line_and_changes_nothing(app, client, member_setup, auth, draft):
    base, meeting = draft
    auth.login(member_setup["facilitator"])
    before = [(i.id, i.body) for i in items(app, meeting)]
    page = client.get(f"{base}/draft").get_data(as_text=True)
    version = re.search(r'name="draft_version" type="hidden" value="(\d+)"', page).group(1)
    bad = NOTES_FILE + "\n@sam: Nobody declared me.\n"
    response = client.post(
        f"{base}/draft/paste",
        data={"csrf_token": csrf_token(page), "text": bad, "draft_version": version},
    )
    body = response.get_data(as_text=True)
    line = NOTES_FILE.count("\n") + 2
    assert response.status_code == 422 and f"line {line}" in body and "sam" in body
    assert [(i.id, i.body) for i in items(app, meeting)] == before


def edit_form(client, url):
    page = client.get(url).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    return csrf_token(page), version


def test_two_editors_one_wins_the_other_gets_the_conflict_page(
    app, make_client, member_setup, draft
):
    base, meeting = draft
    target = items(app, meeting)[1]
    url = f"{base}/draft/items/{target.id}"
    alice, bob = make_client(), make_client()
    for c in (alice, bob):
        post_form(
            c,
            "/login",
            {
                "email": member_setup["facilitator"].email,
                "password": "correct horse battery staple",
            },
        )
    alice_form, bob_form = edit_form(alice, url), edit_form(bob, url)
    common = {"kind": "statement", "speaker": "robin"}
    first = alice.post(
        url,
        data={
            **common,
            "csrf_token": alice_form[0],
            "version": alice_form[1],
            "body": "ALICE wrote this version.",
        },
    )
    second = bob.post(
        url,
        data={
            **common,
            "csrf_token": bob_form[0],
            "version": bob_form[1],
            "body": "BOB wrote this version.",
        },
    )
    assert first.status_code == 302
    assert second.status_code == 409
    conflict = second.get_data(as_text=True)
    assert "ALICE wrote this version." in conflict and "BOB wrote this version." in conflict
    assert items(app, meeting)[1].body == "ALICE wrote this version."
    history = "\n".join(revision_sources(app, meeting))
    assert "ALICE wrote this version." in history and "BOB wrote this version." in history
    listing = alice.get(f"{base}/revisions").get_data(as_text=True)
    assert "not applied" in listing


def test_simultaneous_saves_from_two_threads(app, member_setup, draft):
    """Both requests start from the same version at the same moment: exactly one may win."""
    base, meeting = draft
    target = items(app, meeting)[1]
    url = f"{base}/draft/items/{target.id}"
    clients = [app.test_client() for _ in range(2)]
    forms = []
    for c in clients:
        post_form(
            c,
            "/login",
            {
                "email": member_setup["facilitator"].email,
                "password": "correct horse battery staple",
            },
        )
        forms.append(edit_form(c, url))
    barrier = threading.Barrier(2)
    statuses = {}

    def save(n):
        barrier.wait()
        response = clients[n].post(
            url,
            data={
                "kind": "statement",
                "speaker": "robin",
                "csrf_token": forms[n][0],
                "version": forms[n][1],
                "body": f"Edit number {n} of the statement.",
            },
        )
        statuses[n] = response.status_code

    threads = [threading.Thread(target=save, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses.values()) == [302, 409]
    winner = next(n for n, s in statuses.items() if s == 302)
    assert items(app, meeting)[1].body == f"Edit number {winner} of the statement."
    history = "\n".join(revision_sources(app, meeting))
    assert (
        "Edit number 0 of the statement." in history
        and "Edit number 1 of the statement." in history
    )


def test_a_stale_paste_is_refused(app, client, member_setup, auth, draft):
    base, meeting = draft
    auth.login(member_setup["facilitator"])
    page = client.get(f"{base}/draft").get_data(as_text=True)
    version = re.search(r'name="draft_version" type="hidden" value="(\d+)"', page).group(1)
    target = items(app, meeting)[1]
    post_form(
        client,
        f"{base}/draft/items/{target.id}",
        {
            "kind": "statement",
            "speaker": "robin",
            "body": "Changed meanwhile.",
            "version": str(target.version),
        },
    )
    response = client.post(
        f"{base}/draft/paste",
        data={"csrf_token": csrf_token(page), "text": NOTES_FILE, "draft_version": version},
    )
    assert response.status_code == 409
    assert items(app, meeting)[1].body == "Changed meanwhile."


def test_revisions_diff_and_restore(app, client, member_setup, auth, draft):
    base, meeting = draft
    auth.login(member_setup["facilitator"])
    target = items(app, meeting)[2]
    post_form(
        client,
        f"{base}/draft/items/{target.id}",
        {
            "kind": "note",
            "body": "Members disagreed about payment.",
            "version": str(target.version),
        },
    )
    diff = client.get(f"{base}/revisions/diff?old=1&new=2").get_data(as_text=True)
    assert "Members disagreed about payment." in diff and "pay people fairly" in diff
    assert client.get(f"{base}/revisions/2").status_code == 200
    assert client.get(f"{base}/revisions/99").status_code == 404
    page = client.get(f"{base}/revisions").get_data(as_text=True)
    response = client.post(
        f"{base}/revisions/1/restore",
        data={
            "csrf_token": csrf_token(page),
            "version": re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1),
        },
    )
    assert response.status_code == 302
    restored = items(app, meeting)
    assert restored[2].body == "Members discussed how to pay people fairly for their time."
    assert restored[2].id == target.id
    assert len(revision_sources(app, meeting)) == 3


def test_speakers_are_managed_by_facilitators(app, client, member_setup, auth, draft):
    base, meeting = draft
    auth.login(member_setup["facilitator"])
    response = post_form(
        client,
        f"{base}/speakers",
        {
            "handle": "sam",
            "name": "Sam Sample",
            "organisation": "Town Council",
            "email": "mem@example.org",
            "aliases": "Sammy, S. Sample",
            "descriptor": "a council officer",
        },
    )
    assert response.status_code == 302
    listing = client.get(f"{base}/speakers").get_data(as_text=True)
    assert "Sam Sample" in listing and "has an account" in listing  # linked by email
    duplicate = post_form(client, f"{base}/speakers", {"handle": "sam", "name": "Another"})
    assert duplicate.status_code == 422 and "used by another speaker" in duplicate.get_data(
        as_text=True
    )
    with app.app_context():
        from notes_app.models import Speaker

        robin = db.session.scalars(db.select(Speaker).where(Speaker.handle == "robin")).one()
    removal = post_form(client, f"{base}/speakers/{robin.id}/remove", {}, page=f"{base}/speakers")
    assert removal.status_code == 422 and "statement" in removal.get_data(as_text=True)


FACILITATOR_PAGES = [
    "/draft",
    "/draft/export",
    "/revisions",
    "/revisions/1",
    "/revisions/diff?old=1&new=1",
    "/speakers",
    "/edit",
]


@pytest.mark.parametrize("suffix", FACILITATOR_PAGES)
@pytest.mark.parametrize("who", ["member", "outsider", "admin"])
def test_members_and_outsiders_cannot_reach_drafts(client, member_setup, auth, draft, who, suffix):
    base, _ = draft
    auth.login(member_setup[who])
    response = client.get(base + suffix)
    assert response.status_code == 404
    assert "Funder" not in response.get_data(as_text=True)


@pytest.mark.parametrize("suffix", FACILITATOR_PAGES)
def test_anonymous_visitors_are_sent_to_login_from_drafts(client, draft, suffix):
    base, _ = draft
    response = client.get(base + suffix)
    assert response.status_code == 302 and response.location.startswith("/login")


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_members_and_outsiders_cannot_change_drafts(app, client, member_setup, auth, draft, who):
    base, meeting = draft
    auth.login(member_setup[who])
    target = items(app, meeting)[0]
    token = csrf_token(client.get("/account/").get_data(as_text=True))
    posts = [
        (f"{base}/draft/items", {"kind": "note", "body": "x"}),
        (f"{base}/draft/items/{target.id}", {"kind": "note", "body": "x", "version": "1"}),
        (f"{base}/draft/items/{target.id}/delete", {"version": "1"}),
        (f"{base}/draft/paste", {"text": "x", "draft_version": "1"}),
        (f"{base}/revisions/1/restore", {"version": "1"}),
        (f"{base}/speakers", {"handle": "x", "name": "x"}),
    ]
    for url, data in posts:
        assert client.post(url, data={**data, "csrf_token": token}).status_code == 404, url
    assert len(items(app, meeting)) == 5


def test_members_see_the_meeting_but_no_speakers(client, member_setup, auth, draft):
    base, _ = draft
    auth.login(member_setup["member"])
    page = client.get(base + "/").get_data(as_text=True)
    assert "Patients first" in page
    for canary in ("Robin Example", "Example University", "robin@example.org", "Our funder"):
        assert canary not in page
    assert client.get("/n/river-network/").status_code == 200


def test_cli_notes_import_and_export_round_trip(app, member_setup, create_meeting, tmp_path):
    from tests.test_meetings import run_cli

    meeting = create_meeting(member_setup["network"], "Cli meeting")
    path = tmp_path / "notes.md"
    path.write_text(NOTES_FILE)
    result = run_cli(app, "notes", "import", meeting.slug, str(path))
    assert result.exit_code == 0, result.output
    exported = run_cli(app, "notes", "export", f"river-network/{meeting.slug}")
    assert squash(exported.stdout) == squash(NOTES_FILE)
    path.write_text(NOTES_FILE + "\nA note with [confidential]an unclosed span.\n")
    bad = run_cli(app, "notes", "import", meeting.slug, str(path))
    assert bad.exit_code == 1 and "line" in bad.stderr
    assert squash(run_cli(app, "notes", "export", meeting.slug).stdout) == squash(NOTES_FILE)
    missing = run_cli(app, "notes", "export", "no-such-meeting")
    assert missing.exit_code == 1 and "no meeting" in missing.stderr


def test_meeting_model_counts_revisions(app, draft):
    _, meeting = draft
    with app.app_context():
        assert db.session.get(Meeting, meeting.id).revision_count == 1


def test_an_old_speaker_form_cannot_drop_a_colleagues_new_alias(
    app, make_client, member_setup, draft
):
    base, meeting = draft
    with app.app_context():
        from notes_app.models import Speaker

        robin = db.session.scalars(db.select(Speaker).where(Speaker.handle == "robin")).one()
    url = f"{base}/speakers/{robin.id}"
    alice, bob = make_client(), make_client()
    for c in (alice, bob):
        post_form(
            c,
            "/login",
            {
                "email": member_setup["facilitator"].email,
                "password": "correct horse battery staple",
            },
        )
    alice_page, bob_page = (
        alice.get(url).get_data(as_text=True),
        bob.get(url).get_data(as_text=True),
    )
    version = re.search(r'name="version" value="(\d+)"', alice_page).group(1)
    fields = {"handle": "robin", "name": "Robin Example", "organisation": "Example University"}
    first = alice.post(
        url,
        data={
            **fields,
            "aliases": "Rob, Dr Example, Robbie",
            "version": version,
            "csrf_token": csrf_token(alice_page),
        },
    )
    second = bob.post(
        url,
        data={**fields, "aliases": "Rob", "version": version, "csrf_token": csrf_token(bob_page)},
    )
    assert first.status_code == 302 and second.status_code == 409
    assert "Robbie" in second.get_data(as_text=True)  # the colleague's change is shown
    with app.app_context():
        assert db.session.get(Speaker, robin.id).aliases == ["Rob", "Dr Example", "Robbie"]


def test_a_form_without_its_version_is_treated_as_stale(app, client, member_setup, auth, draft):
    base, meeting = draft
    auth.login(member_setup["facilitator"])
    target = items(app, meeting)[1]
    page = client.get(f"{base}/draft/items/{target.id}").get_data(as_text=True)
    response = client.post(
        f"{base}/draft/items/{target.id}",
        data={
            "csrf_token": csrf_token(page),
            "kind": "statement",
            "speaker": "robin",
            "body": "No version sent.",
        },
    )
    assert response.status_code == 409
    assert items(app, meeting)[1].body == target.body


def test_deleting_a_changed_item_is_refused(app, client, member_setup, auth, draft):
    base, meeting = draft
    auth.login(member_setup["facilitator"])
    target = items(app, meeting)[2]
    response = post_form(
        client,
        f"{base}/draft/items/{target.id}/delete",
        {"version": str(target.version - 1)},
        page=f"{base}/draft",
    )
    assert response.status_code == 303
    assert target.id in [i.id for i in items(app, meeting)]
    assert "Someone else changed this item" in client.get(f"{base}/draft").get_data(as_text=True)
