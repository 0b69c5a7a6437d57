"""Property tests: plant canaries in random notes; none may reach members, and the rest must."""

from __future__ import annotations

import html
import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notes_app.domain.consent import Consent, Decision, Level, wording_hash
from notes_app.domain.notes import Draft, Item, ItemKind, Speaker
from notes_app.domain.redaction import redact

FILLER_TEXT = (
    "patients should be in the room when the problem is defined members discussed how to pay "
    "people fairly for their time and it changed the research questions data trust councils "
    "citizens juries deliberation evidence transparency"
)
FILLER = FILLER_TEXT.split()
LABEL = "Credited Speakerperson"

canaries = st.text(alphabet="ABCDEFGHIJKLMNOPRSTUVWY", min_size=8, max_size=12).map(
    lambda letters: "QZX" + letters
)
sentences = st.lists(st.sampled_from(FILLER), min_size=4, max_size=12).map(
    lambda words: " ".join(words).capitalize() + "."
)


def _disguise(word: str, how: str) -> str:
    """Write a protected word the way a hurried facilitator or a copy-paste might."""
    half = len(word) // 2
    return {
        "as is": word,
        "lower": word.lower(),
        "upper": word.upper(),
        "possessive": word + "'s",
        "emphasis split": f"**{word[:half]}**{word[half:]}",
        "zero width": word[:half] + "\u200b" + word[half:],
        "soft hyphen": word[:half] + "\u00ad" + word[half:],
        "fullwidth": "".join(chr(ord(c) + 0xFEE0) for c in word),
        "line hyphen": word[:half] + "-\n" + word[half:],
        "link text": f"[{word}](https://example.org/page)",
        "link target": f"[page](https://example.org/{word.lower()}/page)",
        "percent": f"<https://example.org/{word[:half]}%{ord(word[half]):02X}{word[half + 1 :]}>",
        "code": f"`{word}`",
        "entity": f"{word[0]}&#{ord(word[1])};{word[2:]}",
        "cyrillic": word.replace("O", "\u041e").replace("A", "\u0410").replace("E", "\u0415"),
    }[how]


disguises = st.sampled_from(
    [
        "as is",
        "lower",
        "upper",
        "possessive",
        "emphasis split",
        "zero width",
        "soft hyphen",
        "fullwidth",
        "line hyphen",
        "link text",
        "link target",
        "percent",
        "code",
        "entity",
        "cyrillic",
    ]
)


@st.composite
def notes(draw):
    """Draw a draft with canaries planted, and what must and must not be published."""
    given_name, family_name, alias, secret_item, secret_span = (draw(canaries) for _ in range(5))
    hidden = Speaker(
        "hidden", f"{given_name.title()} {family_name.title()}", aliases=(alias.title(),)
    )
    credited = Speaker("credited", "Credited Speakerperson")
    protected = [given_name, family_name, alias]
    items, public = [], []
    credited_item = Item(ItemKind.STATEMENT, draw(sentences), "credited", id="credited")
    for position in range(draw(st.integers(min_value=3, max_value=9))):
        kind = draw(st.sampled_from(["note", "mention", "secret item", "secret span", "hidden"]))
        text = draw(sentences)
        item_id = f"i{position}"
        if kind == "mention":
            word = draw(st.sampled_from([given_name.title(), family_name.title(), alias.title()]))
            text = f"{text} {_disguise(word, draw(disguises))} agreed."
        elif kind == "secret item":
            items.append(
                Item(ItemKind.NOTE, f"{text} {secret_item}", confidential=True, id=item_id)
            )
            continue
        elif kind == "secret span":
            text = f"{text} [confidential]{secret_span} {draw(sentences)}[/confidential] Done."
        public.append(text.split(".")[0])
        speaker = "hidden" if kind == "hidden" else None
        item_kind = ItemKind.STATEMENT if speaker else ItemKind.NOTE
        bullet = draw(st.booleans())
        items.append(Item(item_kind, text, speaker, bullet=bullet, id=item_id))
    items.insert(draw(st.integers(min_value=0, max_value=len(items))), credited_item)
    consent = Consent(
        "credited",
        "credited",
        Decision.GRANTED,
        wording_hash(credited_item.body),
        Level.NAME,
        LABEL,
    )
    draft = Draft((hidden, credited), (), tuple(items))
    return draft, {"credited": consent}, protected + [secret_item, secret_span], public


def flat(text: str) -> str:
    """Normalise hard, independently of the code under test."""
    text = html.unescape(re.sub(r"%([0-9A-Fa-f]{2})", lambda m: chr(int(m[1], 16)), text))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(str.maketrans("\u041e\u0410\u0415", "OAE"))
    return re.sub(r"[\W_]+", "", text.casefold())


def views(published) -> list[str]:
    tags_removed = re.sub(r"<[^>]*>", "", published.html)
    return [flat(published.html), flat(tags_removed), flat(published.markdown)]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes())
def test_no_canary_reaches_members_and_the_rest_does(case):
    draft, consents, canaries_planted, public = case
    published, report = redact(draft, consents)
    assert report.ok, report.leaks
    for canary in canaries_planted:
        assert not any(flat(canary) in view for view in views(published)), canary
    # It did not pass by publishing nothing: credit and public text are all there.
    text = re.sub(r"<[^>]*>", "", published.html)
    assert f"{LABEL}:" in text
    for sentence in public:
        assert flat(sentence) in flat(text), sentence


@st.composite
def broken_mentions(draw):
    """Draw a note that writes a protected name in a way scrubbing cannot see."""
    name = draw(canaries).title()
    cut = draw(st.integers(min_value=2, max_value=len(name) - 2))
    how = draw(st.sampled_from(["link", "link in emphasis", "image"]))
    head, tail = name[:cut], name[cut:]
    written = {
        "link": f"[{head}](https://example.org/){tail}",
        "link in emphasis": f"*[{head}](https://example.org/)*{tail}",
        "image": f"![{head}](https://example.org/i.png){tail}",
    }[how]
    speaker = Speaker("hidden", name)
    return Draft((speaker,), (), (Item(ItemKind.NOTE, f"{written} spoke.", id="n1"),)), name


@settings(max_examples=40, deadline=None)
@given(broken_mentions())
def test_what_scrubbing_cannot_see_is_refused(case):
    draft, name = case
    published, report = redact(draft, {})
    assert not report.ok
    assert report.leaks[0].item_id == "n1"
    assert flat(name) in flat(re.sub(r"<[^>]*>", "", published.html))  # really there: refused
