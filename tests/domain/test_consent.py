"""The consent state of a statement, derived from the append-only ledger."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notes_app.domain.consent import (
    Attribution,
    Consent,
    Decision,
    Level,
    State,
    StatementConsent,
    attribution,
    current_consents,
    decision_for,
    statement_consent,
    wording_hash,
)

DESCRIPTOR = "a speaker from a university"
ITEMS = ("s1", "s2", "s3")


def grant(item="s1", body="We tried it.", level=Level.NAME, label="Robin Example", speaker="robin"):
    return Consent(item, speaker, Decision.GRANTED, wording_hash(body), level, label)


def refuse(decision, item="s1", body="We tried it.", speaker="robin"):
    return Consent(item, speaker, decision, wording_hash(body))


# --- examples ---------------------------------------------------------------------------------


def test_no_decision_means_no_credit():
    now = statement_consent([], "s1", "robin", "We tried it.", DESCRIPTOR)
    assert now == StatementConsent(State.UNDECIDED)
    assert now.credit is None and now.choice is None


def test_a_grant_credits_by_name_with_the_approved_label():
    now = statement_consent([grant()], "s1", "robin", "We tried it.", DESCRIPTOR)
    assert now.state is State.GRANTED
    assert now.credit == Attribution(Level.NAME, "Robin Example")
    assert now.choice is Level.NAME


def test_a_grant_by_descriptor_shows_the_descriptor():
    ledger = [grant(level=Level.DESCRIPTOR, label=DESCRIPTOR)]
    now = statement_consent(ledger, "s1", "robin", "We tried it.", DESCRIPTOR)
    assert now.credit == Attribution(Level.DESCRIPTOR, DESCRIPTOR)


@pytest.mark.parametrize("label", ["", "   "])
@pytest.mark.parametrize("level", [Level.DESCRIPTOR, Level.NAME])
def test_red_team_an_old_grant_with_an_empty_label_credits_nobody(level, label):
    """A grant recorded before labels and descriptors were kept agreed to no words: it must not
    credit the descriptor (or a name) as it stands now, which may have been written since."""
    ledger = [grant(level=level, label=label)]
    assert statement_consent(ledger, "s1", "robin", "We tried it.", DESCRIPTOR).credit is None
    assert attribution(ledger[0], "We tried it.", DESCRIPTOR) is None


def test_a_changed_wording_makes_the_grant_stale():
    now = statement_consent([grant()], "s1", "robin", "We tried it twice.", DESCRIPTOR)
    assert now.state is State.STALE
    assert now.credit is None and now.choice is None


def test_whitespace_is_not_a_change_of_wording():
    now = statement_consent([grant()], "s1", "robin", "  We   tried\nit. ", DESCRIPTOR)
    assert now.state is State.GRANTED


def test_the_latest_decision_wins():
    ledger = [grant(), refuse(Decision.WITHDRAWN), grant(label="Dr Robin Example")]
    now = statement_consent(ledger, "s1", "robin", "We tried it.", DESCRIPTOR)
    assert now.credit == Attribution(Level.NAME, "Dr Robin Example")
    ledger.append(refuse(Decision.DECLINED))
    now = statement_consent(ledger, "s1", "robin", "We tried it.", DESCRIPTOR)
    assert now.state is State.DECLINED and now.credit is None


def test_only_the_statements_speaker_decides():
    """A statement given to another speaker does not carry the first speaker's consent."""
    ledger = [grant(speaker="robin")]
    assert statement_consent(ledger, "s1", "sam", "We tried it.").state is State.UNDECIDED
    assert statement_consent(ledger, "s2", "robin", "We tried it.").state is State.UNDECIDED


def test_one_speakers_decision_never_stands_for_anothers():
    """A statement given to Sam keeps Sam's grant, whatever Robin later decides about it."""
    ledger = [
        grant(speaker="robin"),
        grant(speaker="sam", label="Sam P"),
        refuse(Decision.WITHDRAWN),
    ]
    assert current_consents(ledger)["s1"].speaker == "robin"
    mine = current_consents(ledger, {"s1": "sam"})
    assert mine["s1"].speaker == "sam" and mine["s1"].decision is Decision.GRANTED
    assert current_consents(ledger, {"s1": None}) == {}


def test_a_name_grant_without_a_label_credits_nobody():
    now = statement_consent([grant(label="  ")], "s1", "robin", "We tried it.", DESCRIPTOR)
    assert now.state is State.GRANTED and now.credit is None


def test_choices_become_decisions():
    undecided = StatementConsent(State.UNDECIDED)
    named = statement_consent([grant()], "s1", "robin", "We tried it.", DESCRIPTOR)
    declined = statement_consent([refuse(Decision.DECLINED)], "s1", "robin", "We tried it.")
    stale = statement_consent([grant()], "s1", "robin", "Changed.")
    assert decision_for(undecided, None) is Decision.DECLINED
    assert decision_for(undecided, Level.NAME, "Robin") is Decision.GRANTED
    assert decision_for(named, None) is Decision.WITHDRAWN
    assert decision_for(named, Level.NAME, "Robin Example") is None
    assert decision_for(named, Level.NAME, "Dr Robin Example") is Decision.GRANTED
    assert decision_for(named, Level.DESCRIPTOR) is Decision.GRANTED
    assert decision_for(declined, None) is None
    assert decision_for(stale, None) is Decision.DECLINED
    assert decision_for(stale, Level.NAME, "Robin Example") is Decision.GRANTED


# --- properties: random histories against a simple model ------------------------------------


@dataclass
class Model:
    """An independent, deliberately naive account of the consent rules.

    A grant remembers the words it was given for; it credits the statement only while the
    statement has those words (spacing aside). Returning to the approved words revives it:
    consent is bound to the wording, not to the history of edits.
    """

    bodies: dict[str, str] = field(default_factory=lambda: {i: f"Statement {i}." for i in ITEMS})
    decision: dict[str, tuple] = field(default_factory=dict)

    def apply(self, event: tuple) -> None:
        kind, item = event[0], event[1]
        if kind == "grant":
            self.decision[item] = ("granted", event[2], event[3], self.bodies[item].split())
        elif kind in ("declined", "withdrawn"):
            self.decision[item] = (kind,)
        else:
            self.bodies[item] = event[2]

    def state(self, item: str) -> str:
        decision = self.decision.get(item)
        if decision is None:
            return "undecided"
        if decision[0] == "granted" and decision[3] != self.bodies[item].split():
            return "stale"
        return decision[0]

    def expected(self, item: str, descriptor: str) -> Attribution | None:
        if self.state(item) != "granted":
            return None
        _, level, label, _ = self.decision[item]
        if level == "name":
            return Attribution(Level.NAME, label.strip()) if label.strip() else None
        # A descriptor grant keeps the descriptor agreed to: edited since, or none recorded
        # (older records), it credits nobody.
        if label.strip() != descriptor.strip():
            return None
        return Attribution(Level.DESCRIPTOR, descriptor.strip()) if descriptor.strip() else None


words = st.sampled_from(["We", "tried", "it", "twice", "patients", "data"])
bodies = st.lists(words, min_size=1, max_size=4).flatmap(
    lambda ws: st.sampled_from([" ".join(ws), "  ".join(ws), "\n".join(ws) + " "])
)
labels = st.sampled_from(["Robin Example", "Dr Robin Example", "", "  ", DESCRIPTOR])
events = st.one_of(
    st.tuples(
        st.just("grant"), st.sampled_from(ITEMS), st.sampled_from(["name", "descriptor"]), labels
    ),
    st.tuples(st.sampled_from(["declined", "withdrawn"]), st.sampled_from(ITEMS)),
    st.tuples(st.just("edit"), st.sampled_from(ITEMS), bodies),
)


def run(history: list[tuple]) -> tuple[Model, list[Consent]]:
    model = Model()
    ledger: list[Consent] = []
    for event in history:
        kind, item = event[0], event[1]
        body = model.bodies[item]
        if kind == "grant":
            ledger.append(
                Consent(
                    item, "robin", Decision.GRANTED, wording_hash(body), Level(event[2]), event[3]
                )
            )
        elif kind in ("declined", "withdrawn"):
            ledger.append(Consent(item, "robin", Decision(kind), wording_hash(body)))
        model.apply(event)
    return model, ledger


@settings(max_examples=400, deadline=None)
@given(st.lists(events, max_size=25), st.sampled_from([DESCRIPTOR, "", " "]))
def test_every_history_gives_the_models_credit(history, descriptor):
    model, ledger = run(history)
    current = current_consents(ledger)
    for item in ITEMS:
        body = model.bodies[item]
        now = statement_consent(ledger, item, "robin", body, descriptor)
        assert now.credit == model.expected(item, descriptor), (item, history)
        assert now.state.value == model.state(item), (item, history)
        # What redaction uses (the latest entry per statement) agrees.
        assert attribution(current.get(item), body, descriptor) == now.credit


@settings(max_examples=300, deadline=None)
@given(
    st.lists(events, max_size=15),
    st.sampled_from(ITEMS),
    st.sampled_from([None, Level.NAME, Level.DESCRIPTOR]),
    st.sampled_from(["Robin Example", "Dr Robin Example"]),
)
def test_recording_a_choice_makes_it_the_standing_choice(history, item, choice, label):
    model, ledger = run(history)
    body = model.bodies[item]
    before = statement_consent(ledger, item, "robin", body, DESCRIPTOR)
    decision = decision_for(before, choice, label)
    if decision is not None:
        level = choice if decision is Decision.GRANTED else None
        ledger.append(
            Consent(item, "robin", decision, wording_hash(body), level, label if level else "")
        )
    after = statement_consent(ledger, item, "robin", body, DESCRIPTOR)
    assert after.choice is choice
    if choice is Level.NAME:
        assert after.credit == Attribution(Level.NAME, label)
    if decision is None:
        assert after == before


def test_a_regrant_after_a_change_of_wording_credits_the_new_wording():
    ledger = [grant(body="We tried it."), grant(body="We tried it twice.", label="Robin E.")]
    now = statement_consent(ledger, "s1", "robin", "We tried it twice.", DESCRIPTOR)
    assert now.credit == Attribution(Level.NAME, "Robin E.")
    # Back to the first wording: the latest grant was for other words, so no credit.
    assert statement_consent(ledger, "s1", "robin", "We tried it.").state is State.STALE


def test_a_credit_for_all_statements_leaves_the_ones_declined_before():
    from notes_app.domain.consent import resolve_choices

    items = ["a", "b", "c"]
    resolved = resolve_choices(
        items, {"c": Level.DESCRIPTOR}, Level.NAME, everything_chosen=True, declined={"b", "c"}
    )
    # "b" was declined before and is left alone; "c" is chosen now, which wins.
    assert resolved == {"a": Level.NAME, "c": Level.DESCRIPTOR}
    # No credit for all statements reaches every statement not chosen now.
    assert resolve_choices(
        items, {}, None, everything_chosen=True, declined={"b"}
    ) == dict.fromkeys(items)
    assert resolve_choices(items, {"a": None}, None, everything_chosen=False, declined={"b"}) == {
        "a": None
    }
