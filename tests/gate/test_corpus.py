"""Acceptance: every corpus case is refused, or published with nothing protected anywhere.

Each case is published through the real service path (the one behind the publish button and
`notes-app notes publish`), first without confirming warnings and then, where the case allows
it, with them confirmed. Then every surface a member, guest or outsider can receive is read in
every view (see `views.py`), and no canary may be found in any of them.
"""

from __future__ import annotations

import re

import pytest

from notes_app.extensions import db
from notes_app.models import Publication
from tests.gate import views
from tests.gate.corpus import CASES
from tests.gate.model import Case
from tests.gate.publish import Outcome, people, publish_case, search_words, statement_ids
from tests.gate.surfaces import collect


def _param(case: Case):
    marks = [pytest.mark.xfail(strict=True, reason=case.known_gap)] if case.known_gap else []
    return pytest.param(case, id=case.name, marks=marks)


@pytest.fixture
def gate(app, create_user, create_network, add_member):
    return people(create_user, create_network, add_member)


def leaks(case: Case, surfaces) -> list[str]:
    found = []
    canaries = case.all_canaries()
    for surface in surfaces:
        if not surface.text:
            continue
        read = views.surface_views(surface.text)
        for canary, owner in canaries:
            if owner is not None and owner == surface.owner:
                continue  # a speaker's own page and email may name them
            for view in views.found_in(read, canary):
                near = views.excerpt(surface.text, canary, read, view)
                found.append(f"{canary!r} on {surface.name}, {view} view: {near}")
    return found


def assert_case(app, gate, case: Case) -> Outcome:
    with app.app_context():
        outcome = publish_case(case)
    if case.expect == "published":
        assert outcome.published, f"{case.name} must publish but was {outcome.state}: {outcome.why}"
    if case.expect == "refused":
        assert not outcome.published, f"{case.name} must be refused ({outcome.why})"
    words = search_words(case)
    surfaces, statuses = collect(
        app, outcome.meeting_slug, words, reader=gate["reader"], outsider=gate["outsider"]
    )
    found = leaks(case, surfaces)
    assert not found, f"{case.name} ({outcome.state}) leaked:\n" + "\n".join(found[:20])
    if outcome.published:
        assert statuses["notes page"] == 200
        notes = next(s for s in surfaces if s.name.startswith("notes page")).text
        shown = views.unescape(re.sub(r"<[^>]*>", "", notes))
        for text in ("how to run open sessions", *case.must_show):
            assert text in shown, f"{case.name}: {text!r} is not on the notes page"
        _check_items(app, case, outcome)
    return outcome


def _check_items(app, case: Case, outcome: Outcome) -> None:
    with app.app_context():
        publication = db.session.scalar(db.select(Publication))
        items = {item["id"]: item for item in publication.items}
        for handle, number, forbidden in case.item_checks:
            item_id = statement_ids(outcome.meeting_slug, handle)[number]
            item = items[item_id]
            read = views.surface_views(f"{item['html']}\n{item.get('attribution') or ''}")
            for text in forbidden:
                hits = views.found_in(read, text)
                assert not hits, f"{case.name}: statement {number} of @{handle} carries {text!r}"


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_case(app, gate, case):
    assert_case(app, gate, case)


def test_the_corpus_is_large_and_named():
    names = [case.name for case in CASES]
    assert len(names) >= 300 and len(set(names)) == len(names)
    assert sum(case.expect == "published" for case in CASES) >= 40
