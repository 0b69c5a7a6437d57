"""Read an event post (Markdown with YAML front matter, as a static site keeps it) as a meeting.

Real posts are messy, so only what a meeting cannot do without is an error: no front matter, bad
YAML, no title, no date. Everything else is tidied or kept:

- A key given twice keeps its later value, as YAML does, with a warning naming both lines.
- Keys this module does not know are kept in ``extra``; keys with an empty value are dropped.
- HTML comments such as ``<!--more-->`` are removed from the description: they are never shown,
  and may hold notes not meant for readers. Trailing spaces go too.
- A list right under a line of text gets a blank line before it, which Python-Markdown needs.
- Spaces just inside a link's brackets move outside it: ``our[ first](url)`` becomes
  ``our [first](url)``.
- Smart quotes stay as written, except a pair wrapped around the whole title.
- The start time comes from the date (``2025-01-15 14:00:00``), a ``time`` key, or else an
  ``at 2pm`` / ``at 14:00`` in the excerpt (the text before ``<!--more-->``).
- The slug comes from the file name without an ``event-`` or ``events-`` prefix (with the date
  put in front when the name has none), or else from the date and the title.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import regex

from notes_app.domain import identity
from notes_app.domain.notes_format import (
    LineError,
    YamlMapping,
    load_front_matter,
    normalise_newlines,
    split_front_matter,
)

KNOWN_KEYS = ("title", "date", "topics", "author", "time", "start_time")
SLUG_LENGTH = 80

_ISO_DATE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(?:Z|[+-]\d{2}:?\d{2})?"
)
_CLOCK = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?(?::\d{2})?\s*(?:([ap])\.?\s*m\.?)?", re.IGNORECASE)
_CLOCK_IN_TEXT = re.compile(r"\bat\s+(\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\b\.?)?)", re.IGNORECASE)
_MORE = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# An element the website hides (`hidden`, `aria-hidden="true"`, `display: none`), with what it
# holds: never shown there, so never shown here (the tags alone would be stripped, not the text).
_HIDDEN = re.compile(
    r"<(?P<tag>[A-Za-z][\w-]*)\b(?=[^>]*(?:\shidden\b|\saria-hidden\s*=\s*[\"']?true"
    r"|display\s*:\s*none|visibility\s*:\s*hidden))[^>]*>.*?</(?P=tag)\s*>",
    re.DOTALL | re.IGNORECASE,
)
# HTML that lists people, read as the Markdown lists it stands for: a list item or a line break
# starts a bullet, a paragraph or a row ends a line, cells are separated by a bar.
_HTML_LINES = (
    (re.compile(r"<tr\b[^>]*>\s*<th\b.*?</tr\s*>", re.IGNORECASE | re.DOTALL), ""),  # headings
    (re.compile(r"<br\s*/?>|<li\b[^>]*>", re.IGNORECASE), "\n- "),
    (re.compile(r"</t[dh]>\s*<t[dh]\b[^>]*>", re.IGNORECASE), ", "),
    (re.compile(r"</(?:p|div|li|ul|ol|tr|h[1-6]|table)\s*>", re.IGNORECASE), "\n"),
    (re.compile(r"<tr\b[^>]*>", re.IGNORECASE), "\n- "),
)
_ANY_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_LINK = re.compile(r"(!?)\[([ \t]*)([^\[\]\n]*?)([ \t]*)\]\([ \t]*([^()\s]*)[ \t]*\)")
_QUOTE_PAIRS = ("\u201c\u201d", "\u2018\u2019", '""', "''", "\u00ab\u00bb")
# Python-Markdown only starts a list after a blank line; posts often have none.
_LIST_AFTER_TEXT = re.compile(r"^([^\s*+-].*)\n(?=[*+-] )", re.MULTILINE)
_FILE_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class EventPostError(LineError):
    """The event post cannot be read as a meeting."""


@dataclass(frozen=True)
class EventPost:
    """What an event post says about a meeting."""

    title: str
    date: datetime.date
    starts_at_time: datetime.time | None
    topics: tuple[str, ...]
    author: str
    description: str
    slug: str
    extra: dict[str, Any] = field(default_factory=dict)
    # The people the post announces as speakers: protected until the notes decide about them.
    speakers: tuple[AnnouncedSpeaker, ...] = ()


def parse_event_post(text: str, filename: str | None = None) -> tuple[EventPost, list[str]]:
    """Read an event post; return it with warnings about what had to be tidied."""
    yaml_text, body, _ = split_front_matter(normalise_newlines(text), EventPostError)
    if yaml_text is None:
        raise EventPostError(1, "no front matter: an event post starts with a '---' line")
    data, duplicates = load_front_matter(yaml_text, EventPostError)
    warnings = [
        f"line {duplicate.line}: '{duplicate.key}' is given twice (first on line "
        f"{duplicate.first_line}); the later value is used"
        for duplicate in duplicates
    ]
    title = _title(data)
    date, time = _date(data)
    slug = _slug(filename, date, title, warnings)
    post = EventPost(
        title=title,
        date=date,
        starts_at_time=time or _time_key(data, warnings) or _time_in_excerpt(body),
        topics=_topics(data, warnings),
        author=_text(data.get("author")),
        description=_description(body),
        slug=slug,
        extra={
            str(key): _plain(value)
            for key, value in data.items()
            if key not in KNOWN_KEYS and value not in (None, "")
        },
        speakers=announced_speakers(data, body, title, _topics(data, [])),
    )
    return post, warnings


# Front matter keys that name who speaks, and the lines of a post that introduce a list of them
# ("Speakers will include:", "On 18 July we heard from:", "Our panel:").
SPEAKER_KEYS = ("speakers", "speaker", "presenters", "presenter", "panel", "panellists", "guests")
_ANNOUNCES = re.compile(
    r"\b(?:speak(?:er|ers|ing)|present(?:er|ers|ing|ations?)|panel(?:l?ists?)?|guests?|"
    r"heard\s+from|hear\s+from|joined\s+by|talks?\s+(?:by|from)|with)\b[^\n]*:\s*$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+(.*)$")
_STRONG = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)")
_LINK_LABEL = re.compile(r"^!?\[([^\]\n]+)\]\([^)\n]*\)")
_NAME_END = re.compile(r"\s*(?:,|;|\(|\s[-\u2013\u2014]\s|\s(?:on|of|from|at)\s|:)")
_NAME_WORD = re.compile(r"[^\W\d_][\w.'\u2019-]*")
_ANY_LINK = re.compile(r"!?\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?[^)\n]*\)")
_EMPHASIS = re.compile(r"[*_`]+")
# A talk's title after the speaker's affiliation (`, on 'Co-producing research'`).
_TALK = re.compile(r"(?:[,;]\s*|\s[\u2013\u2014-]\s*)on\s.*$", re.IGNORECASE)

# A person's name in running text: capitalised words, a family name's particles between them.
_WORD = r"\p{Lu}[\p{L}\p{M}]*(?:['\u2019\-]\p{L}[\p{L}\p{M}]*)*"
_PARTICLE = r"(?:van|von|der|den|de|del|della|di|da|du|dos|la|le|al|el|bin|ibn|ter|ten)"
_HONORIFIC = r"(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx|Miss|Sir|Dame|Cllr|Councillor|Rev|Revd)"
_NAME = rf"(?:{_HONORIFIC}\.?\s+)?(?P<name>{_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_WORD}){{0,4}})"
# An organisation after "of", "from" or "at": capitalised words (acronyms too) and connectives.
_ORG = rf"{_WORD}(?:\s+(?:(?:of|for|and|the|de|du|des|la|le|&)\s+)*{_WORD})*"
# The phrases that announce who speaks in a sentence ("We will also hear from", "Chaired by").
_CUE = regex.compile(
    r"(?i:\b(?:(?:will\s+)?hear(?:ing)?\s+from|heard\s+from|joined\s+by|"
    r"joining\s+us(?:\s+(?:is|are|were|was|will\s+be))?\s*:?|(?:co-?)?chaired\s+by|hosted\s+by|"
    r"moderated\s+by|facilitated\s+by|presented\s+by|introduced\s+by|"
    r"(?:talks?|keynote|presentations?)\s+(?:by|from)|featuring|(?:guest|keynote)\s+speakers?|"
    r"our\s+(?:guests?|speakers?|chair|host|panel)\s+(?:is|are|was|were|will\s+be)\s*:?))\s+",
    regex.VERSION1,
)
_PERSON = regex.compile(_NAME, regex.VERSION1)
_NEXT_PERSON = regex.compile(r"(?:\s*,)?\s+(?:and\s+)?(?:also\s+)?(?:from\s+)?|\s*,\s*")
_AFFILIATION = regex.compile(
    rf"\s*\((?P<paren>[^()\n]{{2,160}})\)"
    rf"|\s+(?:of|from|at)\s+(?P<org>{_ORG})"
    rf"|,\s+who\s+[^,.;:()\n]{{1,80}}?\s+(?:at|for|with|of)\s+(?P<who>{_ORG})",
    regex.VERSION1,
)
# A title that names a person: "X with <Name>", "Talk by <Name>", "Dialogue: <Name>", "<Name>
# on X", "<Name> and <Name>". After the cues in `_TITLE_CUE_ALONE`, one word can be a name.
_TITLE_PERSON = regex.compile(
    rf"(?i:\b(?P<cue>with|by|featuring|feat\.|ft\.|and|w/)\s+|(?P<cue>:|&|\s[-\u2013\u2014|])\s+)"
    rf"{_NAME}",
    regex.VERSION1,
)
_TITLE_LEADING_PERSON = regex.compile(
    rf"^{_NAME}(?=\s+(?i:on|about|and|with|in\s+conversation)\b|['\u2019]s\s)", regex.VERSION1
)
_TITLE_CUE_ALONE = frozenset({"with", "by", "featuring", "feat.", "ft.", "w/"})
_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_NAME_COLUMN = re.compile(r"^(?:speakers?|names?|who|presenters?|panell?ists?|guests?|chair)$")
_ORG_COLUMN = re.compile(
    r"^(?:organi[sz]ations?|orgs?|affiliations?|company|companies|institutions?|employer|from)$"
)
_ROLE_COLUMN = re.compile(r"^(?:roles?|titles?|positions?|jobs?|job\s+titles?|posts?)$")


@dataclass(frozen=True)
class AnnouncedSpeaker:
    """A person an event post announces, with what it says they are: the organisation and
    role it announces them with, and the organisation's web pages (its link targets)."""

    name: str
    organisation: str = ""
    role: str = ""
    links: tuple[str, ...] = ()

    def stored(self) -> dict[str, Any]:
        """As kept with the meeting (JSON)."""
        found: dict[str, Any] = {"name": self.name}
        if self.organisation:
            found["organisation"] = self.organisation
        if self.role:
            found["role"] = self.role
        if self.links:
            found["links"] = list(self.links)
        return found

    @classmethod
    def from_stored(cls, value: Any) -> AnnouncedSpeaker:
        """Read one kept with a meeting: a mapping, or a name alone (as imports kept before)."""
        if isinstance(value, dict):
            links = value.get("links") or ()
            return cls(
                str(value.get("name") or ""),
                str(value.get("organisation") or ""),
                str(value.get("role") or ""),
                tuple(str(link) for link in links if isinstance(link, str)),
            )
        return cls(str(value or ""))


def merge_announced(people: Iterable[AnnouncedSpeaker]) -> tuple[AnnouncedSpeaker, ...]:
    """One entry a person (the same name however cased), what each mention said kept: the
    first organisation and role given, and every link."""
    merged: dict[str, AnnouncedSpeaker] = {}
    for person in people:
        key = " ".join(person.name.casefold().split())
        if not key:
            continue
        before = merged.get(key)
        if before is None:
            merged[key] = person
            continue
        merged[key] = AnnouncedSpeaker(
            before.name,
            before.organisation or person.organisation,
            before.role or person.role,
            tuple(dict.fromkeys((*before.links, *person.links))),
        )
    return tuple(merged.values())


def announced_speakers(
    data: YamlMapping, body: str, title: str = "", topics: Sequence[str] = ()
) -> tuple[AnnouncedSpeaker, ...]:
    """The people a post announces as speakers, each with the organisation and role it
    announces them with. They are read from:

    - a speakers key of the front matter (names, or mappings with `name`, `organisation`,
      `role`);
    - a bulleted list right after a line that introduces speakers: each bullet's name is its
      bold or linked text at the start, or else what comes before its first comma, and what
      follows is its role and organisation (`Name, Role, Org`, `Name (Role, Org)`,
      `Name — Role, Org`, `Name, Role at Org`, `Name of Org`);
    - a Markdown table with a column headed `Speaker` or `Name` (and `Organisation`, `Role`);
    - a sentence that announces who speaks ("We will also hear from Dr. <Name> of <Org>, and
      from <Name>, who leads engagement at <Org>", "Joining us: <Name> (<Org>)",
      "Chaired by <Name>"): a capitalised run of words right after the cue that reads as a
      person's name (`identity.reads_as_personal_name`);
    - the title and topics, where a person's name follows `with`, `by`, `featuring` or `and`,
      or starts it before `on`, `about`, `and`, `with` ("Community of Practice with <Name>",
      "<Name> on data", "<Name> and <Name> in conversation").
    """
    people: list[AnnouncedSpeaker] = []
    for key in SPEAKER_KEYS:
        value = data.get(key)
        for entry in value if isinstance(value, list) else [value]:
            people += _listed_people(entry)
    text = _COMMENT.sub("", body)
    if "<" in text:
        text += "\n\n" + _html_as_lines(text)
    people += _bulleted_people(text)
    people += _table_people(text)
    people += _prose_people(text)
    people += attendance_people(text)
    for line in (title, *topics):
        people += _title_people(line)
    tidied = (
        dataclasses.replace(person, name=_tidy_name(person.name), role=_tidy(person.role))
        for person in people
    )
    return merge_announced(person for person in tidied if person.name)


# A line that lists who was there (DESIGN.md rule 9: no list of participants is shown to
# members): "Present: A (Org), B", "**Apologies:**", "In attendance:" with a list after it.
_ATTENDANCE = re.compile(
    r"^[ \t>*_]*(?:present|attendees|attending|attended\s+by|in\s+attendance|those\s+present"
    r"|apologies(?:\s+(?:received|from))?|participants|absent"
    # ... and the lines that name the speakers the same way ("Speakers: A; B", "Panel: A (Org)").
    r"|speakers?|guest\s+speakers?|panel(?:l?ists?)?|keynote(?:\s+speakers?)?|presenters?"
    r"|speaking(?:\s+(?:tonight|today))?|(?:our\s+)?line-?up|joining\s+us(?:\s+on\s+the\s+panel)?)"
    r"(?:[ \t]*\([^)\n]{0,20}\))?"
    r"[ \t*_]*:[ \t*_]*(.*)$"
    # ... or said in a sentence: "Apologies were received from A and B."
    r"|\bapologies\s+(?:were\s+)?(?:received\s+|sent\s+)?from\s+(.*)$",
    re.IGNORECASE | re.MULTILINE,
)
_ATTENDANCE_WORDS = (
    "present", "attend", "apolog", "participants", "absent", "speak", "panel", "keynote",
    "line", "joining",
)  # fmt: skip
_LIST_SEPARATOR = re.compile(r"\s*(?:[,;]|\band\b)\s*(?![^()]*\))")


def attendance_people(text: str) -> list[AnnouncedSpeaker]:
    """The people a list of who was there names ("Present: Name (Org), Name", or a bulleted
    list after "Attendees:"), each with the organisation in brackets after them; a piece that
    does not read as a person's name (`Cabinet Office`) is left out."""
    folded = text.casefold()
    if not any(word in folded for word in _ATTENDANCE_WORDS):
        return []
    people = []
    for match in _ATTENDANCE.finditer(text):
        rest = _plain_text(match[1] or match[2] or "").strip(" .")
        pieces = _LIST_SEPARATOR.split(rest) if rest else _bullets_after(text, match.end())
        # A piece that is no name says more of the one before it: "A, Head of Policy, Org".
        groups: list[list[str]] = []
        for piece in (piece.strip(" .") for piece in pieces):
            if _attendee_name(_tidy_name(_bullet_person(piece).name)):
                groups.append([piece])
            elif groups:
                groups[-1].append(piece)
        people += [_bullet_person(", ".join(group)) for group in groups]
    return people


def _attendee_name(name: str) -> bool:
    """In a list of who was there, a name is any capitalised run of words but one that says an
    organisation or a post (`Cabinet Office`), or one ordinary word alone (`All`)."""
    words = name.split()
    if not words or any(identity.organisation_word(w) or identity.role_word(w) for w in words):
        return False
    return len(words) > 1 or not identity.ordinary_word(name)


# The words every way of announcing a speaker holds (see `_CUE`, `_ANNOUNCES`): text without
# any of them is not read for announcements at all.
ANNOUNCING_WORDS = (
    "speak", "chair", "joining", "joined by", "hear", "hosted by", "panel", "keynote", "guest",
    "moderated", "facilitated", "introduced by", "presented by", "present", "featuring", "line-up",
    "lineup", "talk",
)  # fmt: skip


def announcing(text: str) -> bool:
    """Tell whether a text holds a word that announcing a speaker needs."""
    folded = text.casefold()
    return any(word in folded for word in ANNOUNCING_WORDS)


def _bullets_after(text: str, at: int) -> list[str]:
    """The bullets of the list that starts on the line after `at`."""
    found = []
    for line in text[at:].lstrip("\n").split("\n"):
        bullet = _BULLET.match(line)
        if not bullet:
            break
        found.append(_plain_text(bullet[1]))
    return found


def _listed_people(entry: Any) -> list[AnnouncedSpeaker]:
    if isinstance(entry, dict):
        keys = ("organisation", "organization", "affiliation")
        organisation = next((entry[key] for key in keys if entry.get(key)), "")
        role = _text(entry.get("role"))
        return [AnnouncedSpeaker(_text(entry), _tidy(_text(organisation)), role)]
    text = _text(entry)
    return [AnnouncedSpeaker(part.strip()) for part in re.split(r",|;|\band\b", text)]


def _bulleted_people(text: str) -> list[AnnouncedSpeaker]:
    people = []
    listing = False
    for line in text.split("\n"):
        if _ANNOUNCES.search(line.strip()) and not _BULLET.match(line):
            listing = True
            continue
        bullet = _BULLET.match(line) if listing else None
        if bullet:
            people.append(_bullet_person(bullet[1]))
        elif listing and line.strip():
            listing = False  # the list ended
    return people


def _bullet_person(text: str) -> AnnouncedSpeaker:
    """Read `Name, Role, Org`, `Name (Role, Org)`, `Name — Role, Org`, `Name, Role at Org`."""
    text = text.strip()
    for pattern in (_STRONG, _LINK_LABEL):
        match = pattern.match(text)
        if match:
            name, rest = match[1], text[match.end() :]
            break
    else:
        end = _NAME_END.search(text)
        name, rest = (text[: end.start()], text[end.start() :]) if end else (text, "")
    organisation, role = _role_and_organisation(_plain_text(rest))
    return AnnouncedSpeaker(name, organisation, role, _links_on(rest, organisation))


def _links_on(text: str, organisation: str) -> tuple[str, ...]:
    """The targets of the links whose text is (part of) the organisation."""
    if not organisation:
        return ()
    return tuple(
        target
        for label, target in _ANY_LINK.findall(text)
        if label.strip() and _plain_text(label) in organisation and "://" in target
    )


def _plain_text(text: str) -> str:
    """Markdown as its words: a link as its text, emphasis left out."""
    return " ".join(_EMPHASIS.sub("", _ANY_LINK.sub(r"\1", text)).split())


def _role_and_organisation(text: str) -> tuple[str, str]:
    """What follows a name: its organisation and role, from `, Role, Org`, ` (Role, Org)`,
    ` — Role, Org`, `, Role at Org`, `, Role for Org`, ` of Org`, ` from Org` (a talk's title
    after `, on` left out)."""
    text = text.strip()
    if text.startswith("("):
        text = text[1:].split(")", 1)[0]
    text = _TALK.sub("", text)
    text = re.sub(r"^(?:[,;:\u2013\u2014-]\s*)+", "", text).strip()
    match = re.match(r"^(?:of|from|at)\s+(.+)$", text)
    if match:
        return _tidy(match[1]), ""
    role, at, organisation = text.rpartition(" at ")
    if at and role.strip() and organisation[:1].isupper():
        return _tidy(organisation), _tidy(role)
    parts = [part.strip() for part in re.split(r"\s*[,;]\s*", text) if part.strip()]
    if not parts:
        return "", ""
    if len(parts) == 1:
        role, at, organisation = parts[0].partition(" for ")
        if at and _NAME_WORD.findall(role) and identity.role_word(_NAME_WORD.findall(role)[-1]):
            return _tidy(re.sub(r"^the\s+", "", organisation)), role
        return ("", parts[0]) if _reads_as_role(parts[0]) else (_tidy(parts[0]), "")
    first, rest = parts[0], ", ".join(parts[1:])
    if not _reads_as_role(first) and _reads_as_role(rest):
        return _tidy(first), rest  # `Name, Org, Role`
    return _tidy(rest), first


def _reads_as_role(text: str) -> bool:
    words = _NAME_WORD.findall(text)
    return any(identity.role_word(word) for word in words) and not any(
        identity.organisation_word(word) for word in words
    )


def _tidy(text: str) -> str:
    return " ".join(text.split()).strip(" .,:;")


_COLUMNS = (("name", _NAME_COLUMN), ("org", _ORG_COLUMN), ("role", _ROLE_COLUMN))


def _table_people(text: str) -> list[AnnouncedSpeaker]:
    """The rows of a Markdown table whose header has a name column (`| Speaker | Org |`)."""
    if "|" not in text:
        return []
    lines = text.split("\n")
    people = []
    for at in range(len(lines) - 1):
        header = _TABLE_ROW.match(lines[at])
        if not header or not _TABLE_RULE.match(lines[at + 1]):
            continue
        heads = [_plain_text(cell).casefold() for cell in header[1].split("|")]
        column = {
            what: next((n for n, head in enumerate(heads) if pattern.match(head)), None)
            for what, pattern in _COLUMNS
        }
        if column["name"] is None:
            continue
        for line in lines[at + 2 :]:
            row = _TABLE_ROW.match(line)
            if not row:
                break
            name, organisation, role = (_cell(row[1].split("|"), column[w]) for w, _ in _COLUMNS)
            shown = _tidy(_plain_text(organisation))
            people.append(
                AnnouncedSpeaker(
                    _plain_text(name), shown, _plain_text(role), _links_on(organisation, shown)
                )
            )
    return people


def _cell(cells: list[str], at: int | None) -> str:
    return cells[at].strip() if at is not None and at < len(cells) else ""


def _prose_people(text: str) -> list[AnnouncedSpeaker]:
    """The people a sentence announces after a cue ("hear from", "Joining us:", "Chaired by")."""
    if not _CUE.search(text):
        return []
    plain = _plain_text(text.replace("\n", " \n "))
    people = []
    for cue in _CUE.finditer(plain):
        at = cue.end()
        while True:
            person = _PERSON.match(plain, at)
            if not person or not _announced_name(person):
                break
            after = _AFFILIATION.match(plain, person.end())
            organisation, role = "", ""
            if after and after["paren"]:
                organisation, role = _role_and_organisation(f"({after['paren']})")
            elif after:
                organisation = _tidy(after["org"] or after["who"])
            people.append(AnnouncedSpeaker(person["name"], organisation, role))
            at = after.end() if after else person.end()
            joined = _NEXT_PERSON.match(plain, at)
            if not joined or joined.end() == at or "\n" in joined[0]:
                break
            at = joined.end()
    return people


def _announced_name(person: regex.Match[str]) -> bool:
    """A name after a cue: two words or more that read as a person's name, or one word
    after an honorific (`Dr Pryce`)."""
    name = person["name"]
    if len(name.split()) == 1:
        return person.start("name") > person.start() and not identity.ordinary_word(name)
    return identity.reads_as_personal_name(name)


def _title_people(text: str) -> list[AnnouncedSpeaker]:
    """The people a title or topic names ("Community of Practice with <Name>", "<Name> on
    data"), with an organisation given right after the name (`, Org`, ` (Org)`, ` of Org`)."""
    text = _plain_text(html.unescape(_ANY_TAG.sub("", text)))
    people = []
    leading = _TITLE_LEADING_PERSON.match(text)
    # After a cue, a name in lower case is looked for as if capitalised.
    for match in [*([leading] if leading else []), *_TITLE_PERSON.finditer(_capitalised(text))]:
        cue = match["cue"] if match.re is _TITLE_PERSON else None
        if not _title_name(text[match.start("name") : match.end("name")], cue):
            continue
        name = match["name"]  # capitalised, as a name is protected
        rest = text[match.end("name") :]
        after = _AFFILIATION.match(rest)
        if after and not after["who"]:
            organisation = _role_and_organisation(rest[: after.end()])[0]
        else:
            comma = re.match(r",\s+([^,;:()]+)$", rest)
            organisation = _tidy(comma[1]) if comma else ""
        people.append(AnnouncedSpeaker(name, organisation))
    return people


def _capitalised(text: str) -> str:
    """The text with every word capitalised (same length), so that a name written in lower
    case ("Data with henrietta hopkins") is found where a capitalised one is."""
    return _LOWER_WORD.sub(lambda m: _capital(m[0]), text)


def _capital(word: str) -> str:
    titled = word[0].upper() + word[1:]
    return word if word in _KEPT_LOWER or len(titled) != len(word) else titled


_LOWER_WORD = regex.compile(r"\b\p{Ll}[\p{Ll}\p{M}]*")
# The small words that end a name in a title ("<name> on data"): left in lower case.
_KEPT_LOWER = frozenset(
    [
        "on",
        "about",
        "and",
        "with",
        "in",
        "at",
        "from",
        "of",
        "for",
        "the",
        "to",
        "a",
        "an",
        "by",
        "or",
        "w",
    ]
)


def _title_name(name: str, cue: str | None) -> bool:
    """A name found in a title: one that reads as a person's as written, or, written in lower
    case, one none of whose words is an ordinary word; one word alone after "with", "by" or
    "featuring" when it is no ordinary word, organisation word or post."""
    words = name.split()
    if len(words) == 1:
        word = words[0]
        return (
            (cue or "").casefold() in _TITLE_CUE_ALONE
            and word[:1].isupper()
            and not identity.ordinary_word(word)
            and not identity.organisation_word(word)
            and not identity.role_word(word)
        )
    if all(word[:1].isupper() or word.casefold() in identity.PARTICLES for word in words):
        return identity.reads_as_personal_name(name)
    titled = " ".join(w if w.casefold() in identity.PARTICLES else w.capitalize() for w in words)
    return identity.reads_as_personal_name(titled) and not any(
        identity.ordinary_word(word) for word in words
    )


def _tidy_name(text: str) -> str:
    """A name as announced, or "" when it does not read as a person's name (1 to 5 words,
    each capitalised but a family name's particles); an honorific before it is left out."""
    text = re.sub(r"[*_`\[\]]", "", text).strip(" .,:;")
    text = regex.sub(rf"^{_HONORIFIC}\.?\s+(?=\p{{Lu}})", "", text)
    words = _NAME_WORD.findall(text)
    named = [word for word in words if word.casefold() not in identity.PARTICLES]
    if not 1 <= len(named) <= 5 or not all(word[0].isupper() for word in named):
        return ""
    return " ".join(text.split())


def _title(data: YamlMapping) -> str:
    """Read the title, without smart quotes wrapped around all of it."""
    title = _text(data.get("title"))
    for opening, closing in _QUOTE_PAIRS:
        if len(title) > 1 and title[0] == opening and title[-1] == closing:
            title = title[1:-1].strip()
    if not title:
        raise EventPostError(data.key_lines.get("title", 1), "the event post has no title")
    return title


def _date(data: YamlMapping) -> tuple[datetime.date, datetime.time | None]:
    """Read the date, and the time when the date holds one."""
    value = data.get("date")
    line = data.key_lines.get("date", 1)
    if isinstance(value, datetime.datetime):
        return value.date(), _unless_midnight(value.time().replace(tzinfo=None))
    if isinstance(value, datetime.date):
        return value, None
    if value is None or value == "":
        raise EventPostError(line, "the event post has no date")
    match = _ISO_DATE.fullmatch(str(value).strip())
    if not match:
        raise EventPostError(line, f"the date '{value}' should look like 2024-07-18")
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
    try:
        return datetime.date(year, month, day), _unless_midnight(
            datetime.time(hour, minute, second)
        )
    except ValueError as exc:
        raise EventPostError(line, f"the date '{value}' is not a real date ({exc})") from None


def _unless_midnight(time: datetime.time) -> datetime.time | None:
    # A date written without a time reads as midnight; no meeting starts then.
    return None if time == datetime.time() else time


def _time_key(data: YamlMapping, warnings: list[str]) -> datetime.time | None:
    """Read a start time given under its own key."""
    for key in ("time", "start_time"):
        value = data.get(key)
        if value in (None, ""):
            continue
        time = _clock(str(value))
        if time is None:
            warnings.append(f"line {data.line_of(key)}: cannot read the time '{value}'; ignored")
        return time
    return None


def _time_in_excerpt(body: str) -> datetime.time | None:
    """Find a start time such as 'at 2pm' in the excerpt, the part before <!--more-->."""
    excerpt = _MORE.split(body, maxsplit=1)[0] if _MORE.search(body) else body.split("\n\n")[0]
    for match in _CLOCK_IN_TEXT.finditer(excerpt):
        time = _clock(match[1])
        if time is not None:
            return time
    return None


def _clock(text: str) -> datetime.time | None:
    """Read a time of day like 14:00, 2pm or 2.30 p.m.; a bare number is not a time."""
    match = _CLOCK.fullmatch(text.strip())
    if not match or not (match[2] or match[3]):
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    if match[3]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match[3].lower() == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


def _topics(data: YamlMapping, warnings: list[str]) -> tuple[str, ...]:
    """Read the topics: a list, or one topic on its own."""
    value = data.get("topics")
    if isinstance(value, str | int | float):
        value = [value]
    if value is None:
        return ()
    if not isinstance(value, list):
        warnings.append(f"line {data.line_of('topics')}: topics should be a list; ignored")
        return ()
    topics = (_text(topic) for topic in value)
    return tuple(dict.fromkeys(topic for topic in topics if topic))


def _text(value: Any) -> str:
    """Read a value as one line of text: a list is joined, a person mapping gives its name."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(text for text in map(_text, value) if text)
    if isinstance(value, dict):
        return _text(value.get("name"))
    return str(value).strip()


def _plain(value: Any) -> Any:
    """Return YAML data as plain dicts and lists, without the lines kept for errors."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _html_as_lines(text: str) -> str:
    """HTML lists, tables and line breaks as Markdown lines, every other tag left out."""
    for pattern, replacement in _HTML_LINES:
        text = pattern.sub(replacement, text)
    return _ANY_TAG.sub("", text)


def _description(body: str) -> str:
    """Tidy the body into the meeting's Markdown description."""
    text = _LINK.sub(_tidy_link, _HIDDEN.sub("", _COMMENT.sub("", body)))
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = _LIST_AFTER_TEXT.sub("\\1\n\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _tidy_link(match: re.Match[str]) -> str:
    """Move spaces from just inside a link's brackets to outside it."""
    bang, lead, label, trail, target = match.groups()
    before = match.string[match.start() - 1 : match.start()] if match.start() else ""
    after = match.string[match.end() : match.end() + 1]
    space_before = " " if lead and not bang and (before.isalnum() or before in ".,;:!?)") else ""
    space_after = " " if trail and after and (after.isalnum() or after in "([") else ""
    return f"{space_before}{bang}[{label}]({target}){space_after}"


def _slug(filename: str | None, date: datetime.date, title: str, warnings: list[str]) -> str:
    """Make the meeting's slug from the file name, or else from the date and the title."""
    stem = re.split(r"[\\/]", filename or "")[-1]
    stem = re.sub(r"\.(md|markdown|html?|txt)$", "", stem, flags=re.IGNORECASE)
    stem = slugify(re.sub(r"^events?[-_]", "", stem, flags=re.IGNORECASE))
    file_date = _FILE_DATE.match(stem)
    if file_date and file_date[0] != date.isoformat():
        warnings.append(f"the file name has the date {file_date[0]} but the post says {date}")
    if not stem:
        return f"{date.isoformat()}-{slugify(title) or 'event'}"
    return stem if file_date else f"{date.isoformat()}-{stem}"


def slugify(text: str) -> str:
    """Return text as lower-case ASCII words joined by hyphens, cut at a word."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) <= SLUG_LENGTH:
        return slug
    cut = slug[: SLUG_LENGTH + 1]
    return cut.rsplit("-", 1)[0] if "-" in cut else cut[:SLUG_LENGTH]
