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

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

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
    speakers: tuple[str, ...] = ()


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
        speakers=announced_speakers(data, body),
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


def announced_speakers(data: YamlMapping, body: str) -> tuple[str, ...]:
    """The names a post announces as speakers: under a speakers key of the front matter, and
    in a bulleted list right after a line that introduces speakers. Each bullet's name is its
    bold or linked text at the start, or else what comes before its first comma."""
    names: list[str] = []
    for key in SPEAKER_KEYS:
        value = data.get(key)
        for entry in value if isinstance(value, list) else [value]:
            text = _text(entry)
            names += [part.strip() for part in re.split(r",|;|\band\b", text) if part.strip()]
    lines = _COMMENT.sub("", body).split("\n")
    listing = False
    for line in lines:
        if _ANNOUNCES.search(line.strip()) and not _BULLET.match(line):
            listing = True
            continue
        bullet = _BULLET.match(line) if listing else None
        if bullet:
            names.append(_bullet_name(bullet[1]))
        elif listing and line.strip():
            listing = False  # the list ended
    return tuple(dict.fromkeys(name for name in map(_tidy_name, names) if name))


def _bullet_name(text: str) -> str:
    text = text.strip()
    for pattern in (_STRONG, _LINK_LABEL):
        match = pattern.match(text)
        if match:
            return match[1]
    return _NAME_END.split(text, maxsplit=1)[0]


def _tidy_name(text: str) -> str:
    """A name as announced, or "" when it does not read as a person's name (1 to 5 words,
    each capitalised)."""
    text = re.sub(r"[*_`\[\]]", "", text).strip(" .,:;")
    words = _NAME_WORD.findall(text)
    if not 1 <= len(words) <= 5 or not all(word[0].isupper() for word in words):
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


def _description(body: str) -> str:
    """Tidy the body into the meeting's Markdown description."""
    text = _LINK.sub(_tidy_link, _COMMENT.sub("", body))
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
