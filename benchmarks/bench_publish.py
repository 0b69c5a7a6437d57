"""Time redaction of a large draft against bare rendering of the same Markdown.

Run as `python benchmarks/bench_publish.py`. The aim is redaction at most 1.5 times the time of
rendering the Markdown alone (redaction has to render it too).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from notes_app.domain.consent import Consent, Decision, Level, wording_hash  # noqa: E402
from notes_app.domain.notes import Draft, Item, ItemKind, Speaker  # noqa: E402
from notes_app.domain.redaction import protected_terms, redact  # noqa: E402
from notes_app.domain.rendering import render_markdown  # noqa: E402

ITEMS = 1_000
RUNS = 15
WORD_TEXT = (
    "patients should be in the room when the problem is defined not only at testing members "
    "discussed how to pay people fairly for their time coproduction took twice as long as "
    "planned and it changed the research questions data sharing agreements public trust "
    "algorithms councils citizens juries deliberation evidence transparency"
)
GIVEN_TEXT = "Robin Alex Priya Tomasz Chidi Ines Mateo Aiko Nadia Oskar Leila Femi Sven Zoë Ravi"
FAMILY_TEXT = "Example Okafor Lindqvist Fernández Nakamura Kowalski Haddad Moreau Brennan"
PROJECT_TEXT = "Falcon Heron Kestrel Osprey Merlin"
WORDS, GIVEN, FAMILY = WORD_TEXT.split(), GIVEN_TEXT.split(), FAMILY_TEXT.split()


def build_draft(rng: random.Random) -> Draft:
    """Make a 1,000-item draft whose speakers and extra terms give about 200 protected terms."""
    speakers = [_speaker(rng, i) for i in range(34)]
    terms = tuple(f"Project {name}" for name in PROJECT_TEXT.split())
    terms += tuple(f"Codename{i}" for i in range(15))
    items = tuple(_item(rng, i, speakers, terms) for i in range(ITEMS))
    return Draft(tuple(speakers), terms, items)


def _speaker(rng: random.Random, i: int) -> Speaker:
    name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}{i}"
    handle = f"s{i}"
    return Speaker(
        handle,
        name,
        organisation=f"Organisation Number{i}",
        role="Data Lead",
        email=f"{handle}@example{i}.org",
        aliases=(f"Alias{i}",),
        descriptor="a speaker from local government",
    )


def _item(rng: random.Random, i: int, speakers: list[Speaker], terms: tuple[str, ...]) -> Item:
    if i % 25 == 0:
        return Item(ItemKind.SECTION, _sentence(rng, 5), level=2, id=str(i))
    text = " ".join(_sentence(rng, 14) + "." for _ in range(3))
    if i % 7 == 0:
        speaker = rng.choice(speakers)
        text += f" {speaker.name.split()[0]} said that {rng.choice(terms)} matters."
    if i % 11 == 0:
        text += " See [the report](https://example.org/reports/annual-review) for details."
    if i % 9 == 0:
        text = text.replace(". ", ". [confidential]Nothing here is for members.[/confidential] ", 1)
    if i % 3 == 0:
        speaker = rng.choice(speakers)
        return Item(ItemKind.STATEMENT, text, speaker.handle, confidential=i % 20 == 3, id=str(i))
    return Item(ItemKind.NOTE, text, bullet=i % 5 == 1, id=str(i))


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def consents_for(draft: Draft) -> dict[str, Consent]:
    """Credit a few statements by name and a few by descriptor."""
    consents = {}
    for n, item in enumerate(i for i in draft.items if i.kind is ItemKind.STATEMENT):
        if n % 10 == 0 and item.speaker in ("s0", "s1"):
            level = Level.NAME
        elif n % 4 == 0:
            level = Level.DESCRIPTOR
        else:
            continue
        consents[item.id] = Consent(
            item.id, item.speaker or "", Decision.GRANTED, wording_hash(item.body), level, "Label"
        )
    return consents


def draft_markdown(draft: Draft) -> str:
    """Write the draft's items as one Markdown document, as a renderer would get it."""
    pieces = []
    for item in draft.items:
        if item.kind is ItemKind.SECTION:
            pieces.append("#" * item.level + " " + item.body)
        else:
            pieces.append(("- " if item.bullet else "") + item.body)
    return "\n\n".join(pieces)


def median_times(*actions, clock=time.perf_counter) -> list[float]:
    """Time the actions in turns (so that a busy machine slows all alike); return medians."""
    times: list[list[float]] = [[] for _ in actions]
    for _ in range(RUNS):
        for action, taken in zip(actions, times, strict=True):
            start = clock()
            action()
            taken.append(clock() - start)
    return [statistics.median(taken) for taken in times]


def main() -> None:
    draft = build_draft(random.Random(20261121))
    consents = consents_for(draft)
    markdown = draft_markdown(draft)
    terms = protected_terms(draft, consents)
    published, report = redact(draft, consents)
    print(f"items: {len(draft.items)}, protected terms: {len(terms)}")
    print(f"markdown: {len(markdown)} characters, published items: {len(published.items)}")
    print(
        f"report ok: {report.ok}, changes: {len(report.changes)}, warnings: {len(report.warnings)}"
    )
    actions = (lambda: render_markdown(markdown), lambda: redact(draft, consents))
    # CPU time of this thread: what the work costs, whatever else the machine is doing. Wall
    # time is printed too; on a shared machine it moves with the neighbours.
    for name, clock in (("cpu", time.thread_time), ("wall", time.perf_counter)):
        rendering, redaction = median_times(*actions, clock=clock)
        print(
            f"{name}: render_markdown {rendering * 1000:.1f} ms, redact {redaction * 1000:.1f} ms"
        )
        print(f"{name}: ratio {redaction / rendering:.2f}x (medians of {RUNS})")


if __name__ == "__main__":
    main()
