"""The speaker's page: a choice on one statement wins over "all statements", on the guest page
and on My statements; labels and descriptors are plain text that passes the gate, and new words
wait for the next publication."""

from __future__ import annotations

import html as html_lib
import itertools

import pytest

from notes_app.domain.consent import CREDIT_TEXT_MAX, Level, State, statement_consent
from notes_app.extensions import db
from notes_app.models import ConsentRecord, OutboxMessage, Publication, Speaker
from notes_app.services import consent as consent_service
from notes_app.services import publishing
from tests import test_consent
from tests.conftest import PASSWORD, post_form
from tests.test_consent import (
    LABEL,
    _form_with,
    ask_everyone,
    base,
    form_fields,
    guest_link,
    rows,
    speaker,
    statements,
)
from tests.test_meetings import run_cli
from tests.test_publishing import publish

setup = test_consent.setup  # fixtures
facilitator = test_consent.facilitator

CHOICES = ["name", "descriptor", "none"]
EXPECTED = {"name": State.GRANTED, "descriptor": State.GRANTED, "none": State.DECLINED}


@pytest.fixture
def robin_page(request, app, make_client, facilitator, setup, create_user, add_member):
    """Robin's page, as a guest by link or in their account: (client, url to post, page url)."""
    meeting = setup["meeting"]
    if request.param == "guest":
        ask_everyone(facilitator, meeting)
        url = guest_link(app)
        return app.test_client(), url, url
    robin = create_user("robin@example.org", "Robin Example")
    add_member(setup["network"], robin, "member")
    with app.app_context():
        db.session.get(Speaker, speaker(app, meeting, "robin").id).user_id = robin.id
        db.session.commit()
    client = make_client()
    post_form(client, "/login", {"email": "robin@example.org", "password": PASSWORD})
    url = f"/account/statements/{speaker(app, meeting, 'robin').id}"
    return client, url, "/account/statements"


def submit(client, url, page_url, **choices):
    """Post Robin's form as a browser would, with the given radio values and text fields."""
    data = form_fields(_form_with(client.get(page_url).get_data(as_text=True), url))
    for name, value in choices.items():
        key = next((k for k in data if k.endswith(name)), name)
        data[key] = value
    return client.post(url, data=data)


def standing(app, meeting) -> dict[str, tuple[State, Level | None]]:
    items = statements(app, meeting, "robin")
    who = speaker(app, meeting, "robin")
    with app.app_context():
        ledger = publishing.consent_ledger(db.session.get(Speaker, who.id).meeting)
        return {
            item.id: (
                (c := statement_consent(ledger, item.id, "robin", item.body)).state,
                c.choice,
            )
            for item in items
        }


@pytest.mark.parametrize("robin_page", ["guest", "account"], indirect=True)
@pytest.mark.parametrize(("everything", "one"), list(itertools.product(CHOICES, CHOICES)))
def test_a_choice_on_one_statement_wins_over_all_statements(
    app, setup, robin_page, everything, one
):
    client, url, page_url = robin_page
    meeting = setup["meeting"]
    first, second = (item.id for item in statements(app, meeting, "robin"))
    response = submit(
        client, url, page_url, all=everything, label=LABEL, **{f"choice-{second}": one}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    now = standing(app, meeting)
    level = {"name": Level.NAME, "descriptor": Level.DESCRIPTOR, "none": None}
    assert now[first] == (EXPECTED[everything], level[everything])
    assert now[second] == (EXPECTED[one], level[one])


@pytest.mark.parametrize("robin_page", ["guest", "account"], indirect=True)
def test_the_page_says_that_a_choice_on_one_statement_wins(app, setup, robin_page):
    client, _, page_url = robin_page
    page = client.get(page_url).get_data(as_text=True)
    assert "A choice you make on one statement below always wins over this." in page


@pytest.mark.parametrize("robin_page", ["guest"], indirect=True)
def test_statements_left_alone_keep_their_decision(app, setup, robin_page):
    client, url, page_url = robin_page
    meeting = setup["meeting"]
    first, second = (item.id for item in statements(app, meeting, "robin"))
    submit(client, url, page_url, label=LABEL, **{f"choice-{first}": "name"})
    # Nothing for all and nothing on the first: the credit by name stands.
    submit(client, url, page_url, **{f"choice-{second}": "none"})
    now = standing(app, meeting)
    assert now[first] == (State.GRANTED, Level.NAME)
    assert now[second] == (State.DECLINED, None)


@pytest.mark.parametrize("robin_page", ["guest", "account"], indirect=True)
@pytest.mark.parametrize("later", ["name", "descriptor"])
def test_l24_a_later_credit_for_all_leaves_an_earlier_dont_credit_me(app, setup, robin_page, later):
    """Round 5, L24: "Don't credit me" chosen on statement 2, then, in a later visit, a credit
    for all statements with statement 2 left alone: statement 2 stays uncredited."""
    client, url, page_url = robin_page
    meeting = setup["meeting"]
    first, second = (item.id for item in statements(app, meeting, "robin"))
    submit(client, url, page_url, all="descriptor", label=LABEL, **{f"choice-{second}": "none"})
    assert standing(app, meeting)[second] == (State.DECLINED, None)
    response = submit(client, url, page_url, all=later, label=LABEL)
    assert response.status_code == 302
    level = {"name": Level.NAME, "descriptor": Level.DESCRIPTOR}[later]
    now = standing(app, meeting)
    assert now[first] == (State.GRANTED, level)
    assert now[second] == (State.DECLINED, None)


@pytest.mark.parametrize("robin_page", ["guest"], indirect=True)
def test_l24_a_credit_withdrawn_on_one_statement_is_not_given_back_by_all(app, setup, robin_page):
    client, url, page_url = robin_page
    meeting = setup["meeting"]
    first, second = (item.id for item in statements(app, meeting, "robin"))
    submit(client, url, page_url, all="name", label=LABEL)
    submit(client, url, page_url, **{f"choice-{second}": "none"})
    assert standing(app, meeting)[second] == (State.WITHDRAWN, None)
    submit(client, url, page_url, all="name", label=LABEL)
    now = standing(app, meeting)
    assert now[first] == (State.GRANTED, Level.NAME)
    assert now[second] == (State.WITHDRAWN, None)
    # Only a choice on that statement credits it again.
    submit(client, url, page_url, label=LABEL, **{f"choice-{second}": "name"})
    assert standing(app, meeting)[second] == (State.GRANTED, Level.NAME)


@pytest.mark.parametrize("robin_page", ["guest"], indirect=True)
def test_no_credit_for_all_still_withdraws_every_credit(app, setup, robin_page):
    client, url, page_url = robin_page
    meeting = setup["meeting"]
    first, second = (item.id for item in statements(app, meeting, "robin"))
    submit(client, url, page_url, label=LABEL, **{f"choice-{first}": "name"})
    submit(client, url, page_url, all="none")
    now = standing(app, meeting)
    assert now[first] == (State.WITHDRAWN, None)
    assert now[second] == (State.DECLINED, None)


@pytest.mark.parametrize("robin_page", ["guest"], indirect=True)
def test_l24_a_post_without_the_statement_fields_cannot_override_a_decline(app, setup, robin_page):
    """A hand-made request that carries only the choice for all statements, as a script might
    send, keeps the stored decline too: the rule is the server's, not the form's."""
    client, url, page_url = robin_page
    meeting = setup["meeting"]
    _, second = (item.id for item in statements(app, meeting, "robin"))
    submit(client, url, page_url, label=LABEL, **{f"choice-{second}": "none"})
    data = form_fields(_form_with(client.get(page_url).get_data(as_text=True), url))
    data = {k: v for k, v in data.items() if not k.startswith("choice-")}
    data["all"] = "name"
    assert client.post(url, data=data).status_code == 302
    assert standing(app, meeting)[second] == (State.DECLINED, None)


def test_r8_a_grant_for_all_on_behalf_leaves_a_statement_declined_on_its_own(app, setup):
    """Round 6, R8: `consent record --grant` without --item, after a decline of one statement,
    credited the declined statement too, and the notes showed the name on it."""
    meeting = setup["meeting"]
    first, second = (item.id for item in statements(app, meeting, "robin"))
    args = ["consent", "record", meeting.slug, "robin"]
    assert (
        run_cli(app, *args, "--decline", "--item", second, "--evidence", "email 1").exit_code == 0
    )
    result = run_cli(app, *args, "--grant", "--label", LABEL, "--evidence", "email 2")
    assert result.exit_code == 0, result.stderr
    assert "Recorded 1 decision(s)" in result.stdout
    now = standing(app, meeting)
    assert now[first] == (State.GRANTED, Level.NAME)
    assert now[second] == (State.DECLINED, None)
    # Only a grant on that statement credits it.
    run_cli(app, *args, "--grant", "--item", second, "--label", LABEL, "--evidence", "email 3")
    assert standing(app, meeting)[second] == (State.GRANTED, Level.NAME)


def test_r8_the_record_a_decision_page_leaves_a_declined_statement_alone(app, facilitator, setup):
    meeting = setup["meeting"]
    first, second = (item.id for item in statements(app, meeting, "robin"))
    url = f"{base(meeting)}/consent/speakers/{speaker(app, meeting, 'robin').id}"
    page = facilitator.get(url).get_data(as_text=True)
    assert "leaves a statement they declined on its own" in page
    fields = {"decision": "declined", "item": second, "level": "name", "evidence": "Email 1"}
    assert post_form(facilitator, url, fields).status_code == 302
    fields |= {"decision": "granted", "item": "all", "label": LABEL, "evidence": "Email 2"}
    assert post_form(facilitator, url, fields).status_code == 302
    now = standing(app, meeting)
    assert now[first] == (State.GRANTED, Level.NAME)
    assert now[second] == (State.DECLINED, None)
    assert publish(facilitator, meeting, accept=True).status_code == 302
    with app.app_context():
        (published,) = db.session.scalars(db.select(Publication)).all()
        by_item = {item["id"]: item for item in published.items}
    assert by_item[first]["attribution"] == LABEL
    assert by_item[second]["attribution"] is None
    assert "Robin" not in by_item[second]["html"]


# --- labels and descriptors ----------------------------------------------------------------

BAD_TEXT = [
    ("Log in again at https://evil.example/login", "link"),
    ("Robin, see evil.example", "link"),
    ("Robin <script>", "plain text"),
    ("Robin [click](x)", "plain text"),
    ("**Robin**", "plain text"),
    ("Robin_Example", "plain text"),
    ("Robin `x`", "plain text"),
    ("Robin\nSecond line", "one line"),
    ("Robin, mail robin@example.net", "link"),
    ("R" * (CREDIT_TEXT_MAX + 1), f"{CREDIT_TEXT_MAX} characters"),
    # Round 5, L10 and L12: a phone number in a label or descriptor was published.
    ("Jo B-S, call 44 7700 900123", "phone number"),
    ("a speaker, ring 44 7700 900456", "phone number"),
    ("Robin, 07700 900123", "phone number"),
    ("Robin, robin at example dot org", "email address"),
]


# Both pages go through one handler: every case on the guest page, a few on My statements.
@pytest.mark.parametrize(
    ("robin_page", "field", "text", "said"),
    [("guest", field, *case) for field in ("label", "descriptor") for case in BAD_TEXT]
    + [("account", "label", *BAD_TEXT[0]), ("account", "descriptor", *BAD_TEXT[2])],
    indirect=["robin_page"],
)
def test_a_label_or_descriptor_with_a_link_or_markup_is_refused(
    app, setup, robin_page, field, text, said
):
    client, url, page_url = robin_page
    first = statements(app, setup["meeting"], "robin")[0].id
    response = submit(client, url, page_url, **{field: text, f"choice-{first}": "name"})
    assert response.status_code == 422
    assert said in html_lib.unescape(response.get_data(as_text=True))
    assert rows(app, ConsentRecord) == []
    with app.app_context():
        record = db.session.get(Speaker, speaker(app, setup["meeting"], "robin").id)
        assert text not in (record.label, record.descriptor)


GATED = [
    "Robin Example, with Sam Porter",  # another speaker's name
    "Robin Example, Northtown Council",  # another speaker's organisation
    "Robin Example: QZXCONFIDENTIAL",  # a word of a confidential item
    "Robin, as the funder is leaving",  # a phrase of a confidential item
]


@pytest.mark.parametrize(
    ("robin_page", "field", "text"),
    [("guest", field, text) for field in ("label", "descriptor") for text in GATED]
    + [("account", "label", GATED[0]), ("account", "descriptor", GATED[3])],
    indirect=["robin_page"],
)
def test_a_label_or_descriptor_must_pass_the_gate_and_the_refusal_says_nothing_of_what(
    app, setup, robin_page, field, text
):
    client, url, page_url = robin_page
    first = statements(app, setup["meeting"], "robin")[0].id
    response = submit(client, url, page_url, **{field: text, f"choice-{first}": "name"})
    page = html_lib.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert consent_service.NOT_SAFE_TO_SHOW.format(what=field) in page
    for canary in ("Sam Porter", "Northtown", "QZXCONFIDENTIAL", "funder"):
        # Only in the echoed field, never in the message.
        assert canary not in page.split('class="error-box"', 1)[1].split("</p>", 1)[0]
    assert rows(app, ConsentRecord) == []


@pytest.mark.parametrize("robin_page", ["guest"], indirect=True)
def test_the_speakers_own_name_and_organisation_are_fine(app, setup, robin_page):
    client, url, page_url = robin_page
    first = statements(app, setup["meeting"], "robin")[0].id
    response = submit(
        client,
        url,
        page_url,
        label="Dr Robin Example, Example University",
        descriptor="a speaker from Example University",
        **{f"choice-{first}": "name"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)


# --- new words wait for the next publication -----------------------------------------------

NEW_LABEL = "Robin Example, QZXNEWLABEL"
NEW_DESCRIPTOR = "a speaker QZXNEWDESCRIPTOR"


@pytest.mark.parametrize("robin_page", ["guest", "account"], indirect=True)
def test_a_new_label_or_descriptor_applies_at_the_next_publication_only(
    app, facilitator, setup, robin_page
):
    client, url, page_url = robin_page
    meeting = setup["meeting"]
    first, second = (item.id for item in statements(app, meeting, "robin"))
    submit(
        client, url, page_url, label=LABEL,
        **{f"choice-{first}": "name", f"choice-{second}": "descriptor"},
    )  # fmt: skip
    assert publish(facilitator, meeting, accept=True).status_code == 302
    with app.app_context():
        before = db.session.scalars(db.select(Publication)).one().html
        mails_before = [
            (m.subject, m.text, m.html)
            for m in db.session.scalars(db.select(OutboxMessage).filter_by(kind="notes"))
        ]
    assert LABEL in html_lib.unescape(before)
    response = submit(client, url, page_url, label=NEW_LABEL, descriptor=NEW_DESCRIPTOR)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        publication = db.session.scalars(db.select(Publication)).one()
        assert publication.html == before
        assert "being revised" not in publication.html
        mails = [
            (m.subject, m.text, m.html)
            for m in db.session.scalars(db.select(OutboxMessage).filter_by(kind="notes"))
        ]
    assert mails == mails_before
    for mail in mails:
        assert "QZXNEW" not in repr(mail)
    # The facilitator is told that a republication is due, where they publish.
    for page in (f"{base(meeting)}/consent", f"{base(meeting)}/preview"):
        html = facilitator.get(page).get_data(as_text=True)
        assert "A republication is due" in html and "@robin" in html.split("republication-due")[1]
    assert publish(facilitator, meeting, accept=True).status_code == 302
    with app.app_context():
        latest = db.session.scalars(
            db.select(Publication).order_by(Publication.version.desc())
        ).first()
        assert latest.version == 2
        assert "QZXNEWLABEL" in latest.html and "QZXNEWDESCRIPTOR" in latest.html
    html = facilitator.get(f"{base(meeting)}/consent").get_data(as_text=True)
    assert "A republication is due" not in html


@pytest.mark.parametrize("robin_page", ["guest"], indirect=True)
def test_narrowing_with_a_new_label_remakes_without_writing_the_new_label(
    app, facilitator, setup, robin_page
):
    client, url, page_url = robin_page
    meeting = setup["meeting"]
    first, second = (item.id for item in statements(app, meeting, "robin"))
    submit(
        client, url, page_url, label=LABEL,
        **{f"choice-{first}": "name", f"choice-{second}": "name"},
    )  # fmt: skip
    publish(facilitator, meeting, accept=True)
    # Less credit on the second statement, and new words for the first at the same time.
    submit(client, url, page_url, label=NEW_LABEL, **{f"choice-{second}": "none"})
    with app.app_context():
        html = html_lib.unescape(db.session.scalars(db.select(Publication)).one().html)
    assert html.count(LABEL) == 1 and "QZXNEWLABEL" not in html
