"""Property: whatever the notes, no planted canary reaches a member, by any channel."""

from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notes_app.domain.consent import wording_hash
from notes_app.extensions import db
from notes_app.models import ConsentRecord, Item, OutboxMessage, Speaker
from notes_app.services import drafts, meetings, networks, publishing
from tests.conftest import empty_tables

canary = st.text(alphabet="ABCDEFGHJKLMNPRSTUVWXY", min_size=8, max_size=12).map(
    lambda s: "QZX" + s
)
public_word = st.sampled_from(
    ["people", "data", "council", "trust", "panel", "budget", "evidence", "residents", "sessions"]
)
sentence = st.lists(public_word, min_size=3, max_size=8).map(
    lambda w: " ".join(w).capitalize() + "."
)


def notes_file(hidden_name, hidden_alias, item_canary, span_canary, said, noted):
    return f"""---
speakers:
  - handle: hidden
    name: {hidden_name.title()} {hidden_name[::-1].title()}
    aliases: [{hidden_alias.title()}]
    descriptor: a participant from a charity
  - handle: named
    name: Nadia Named
    descriptor: a researcher
---

# Discussion

@hidden: {said} {hidden_name.title()} spoke to {hidden_alias.title()} about it.

@named: {said}

[confidential] @hidden: {item_canary} {noted}

{noted} [confidential]{span_canary} secret detail[/confidential] and more.
"""


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    hidden_name=canary,
    hidden_alias=canary,
    item_canary=canary,
    span_canary=canary,
    said=sentence,
    noted=sentence,
)
def test_no_canary_reaches_members(
    app, hidden_name, hidden_alias, item_canary, span_canary, said, noted
):
    canaries = [hidden_name, hidden_name[::-1], hidden_alias, item_canary, span_canary]
    with app.app_context():
        try:
            network = networks.create_network("prop-net", "Property network", actor_id=None)
            from notes_app.services import accounts

            member = accounts.create_user("reader@example.org", "Reader", None)
            networks.add_member(network, member, "member", actor_id=None)
            meeting = meetings.create_meeting(
                network,
                meetings.MeetingFields("Property", datetime(2025, 1, 1, 14, 0)),
                actor_id=None,
            )
            drafts.import_notes(
                meeting,
                notes_file(hidden_name, hidden_alias, item_canary, span_canary, said, noted),
                actor_id=None,
            )
            named = db.session.scalars(db.select(Speaker).where(Speaker.handle == "named")).one()
            statement = db.session.scalars(db.select(Item).where(Item.speaker_id == named.id)).one()
            db.session.add(
                ConsentRecord(
                    meeting_id=meeting.id,
                    speaker_id=named.id,
                    item_id=statement.id,
                    decision="granted",
                    level="name",
                    label="Nadia Named",
                    wording_hash=wording_hash(statement.body),
                    channel="on_behalf",
                    evidence="test",
                )
            )
            db.session.flush()
            publication = publishing.publish(meeting, actor_id=None, accept_warnings=True)
            export = publishing.export_markdown(meeting, publication)
            mails = db.session.scalars(db.select(OutboxMessage)).all()
            channels = {"html": publication.html, "export": export}
            channels |= {f"mail {m.id}": m.text + m.html for m in mails}
            for where, text in channels.items():
                folded = text.casefold()
                for planted in canaries:
                    assert planted.casefold() not in folded, f"{planted} leaked into {where}"
            # It did publish: the consented credit and the public text survive.
            assert "Nadia Named" in publication.html and said in publication.html
            assert noted in publication.html and mails
        finally:
            db.session.rollback()
            db.session.remove()
            empty_tables()
