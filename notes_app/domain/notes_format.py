"""Read and write the notes file format: YAML front matter, then Markdown blocks.

A file is optional front matter (``speakers:`` and ``terms:``) followed by blocks separated by
blank lines. A heading line is a section, a block that starts with ``@handle:`` is a statement,
any other block is a note. ``[confidential]`` at the start of a block (before or after the handle
or the heading's ``#``) makes the item confidential; ``[confidential]...[/confidential]`` inside a
block is a span that stays in the body. ``[confidential]`` at the start of a nested bullet, a
numbered item or a block-quote line inside a block marks that item (`markers.marked_item`); it
stays in the body too, and redaction cuts the item out.

Decisions the design leaves open:

- Markers follow the one grammar in `markers` (case, spacing, invisible characters and
  look-alike forms do not matter), because a marker that is missed is a leak. They are always
  written back as ``[confidential]``, before the handle.
- A confidential heading is read as one item like any heading; what it excludes (its whole
  section, up to the next heading of the same or a higher level) is decided by
  `markers.confidential_flags` when redacting, so that the file reads back exactly as written.
- Handles follow `handles`, the rule the speakers service checks too.
- A bullet that starts with ``@handle:`` or ``[confidential]`` is its own item with ``bullet=True``
  and a body without the bullet marker. A run of ordinary bullets is one note with
  ``bullet=True`` whose body is the Markdown list itself, markers included, so that it renders
  as a list on its own. Two such notes next to each other are written with a blank line between
  them, otherwise they would read back as one. Marked bullets are written with the bullet
  character of the first ordinary run in the same list, else ``-``.
- A list only starts a block, as in Python-Markdown: bullets under a paragraph line belong to
  that paragraph.
- A heading line inside a block ends the part before it and starts a new part, as Markdown reads
  it. When the block began with ``[confidential]``, every part of it is confidential: when in
  doubt, exclude.
- An indented block right after a confidential bullet, statement or note continues it (a second
  paragraph of the bullet, in Markdown), so it is confidential too, not a code block of its own.
- After a marker or a handle the body may start on the next line; it is written that way when
  it starts with a space or a code fence, so that it reads back the same.
- An unclosed code fence, an unknown key anywhere in the front matter and a key given twice are
  errors too, because each would silently swallow or drop text (a misspelt ``term:`` would drop
  protected terms).
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from notes_app.domain import handles, limits, markers
from notes_app.domain.email_address import ONE_ADDRESS, is_email_address
from notes_app.domain.notes import Draft, Item, ItemKind, Speaker

SPEAKER_FIELDS = ("handle", "name", "organisation", "role", "email", "aliases", "descriptor")
FRONT_MATTER_KEYS = ("speakers", "terms")

_STATEMENT = re.compile(rf"@({handles.PATTERN}):")
_MARKER = markers.MARKER
_HASHES = re.compile(r"(#{1,6})(?:[ \t]+|$)")
_HEADING_LINE = re.compile(rf"(?:{markers.OPENING_PATTERN}[ \t]*)?#{{1,6}}(?:[ \t]|$)", re.I)
_BULLET = re.compile(r"([-*+])(?:[ \t]+|$)")
_THEMATIC_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"\s*(`{3,}|~{3,})(.*)$")
# The space after a marker or a handle, to the end of its line: the body may start on the next.
_GAP = re.compile(r"[ \t]*\n?")
_MARKER_TEXT = markers.OPENING_TEXT


class LineError(ValueError):
    """A problem found at one line of a text file."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"line {line}: {problem}")
        self.line = line
        self.problem = problem


class NotesFormatError(LineError):
    """The notes file cannot be read; nothing in it should be imported."""


# Front matter, shared with other files that carry it (event posts).


class YamlMapping(dict):
    """A YAML mapping that remembers the file line of itself and of each of its keys."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        """Return the line of a key, or of the mapping when the key is absent."""
        return self.key_lines.get(key, self.line)


@dataclass(frozen=True)
class DuplicateKey:
    """A key given twice in one YAML mapping; YAML keeps the later value."""

    key: Any
    line: int
    first_line: int


# Front matter is a few levels deep; deeper nesting only serves to exhaust the stack.
MAX_YAML_DEPTH = 20


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that front matter may not use; the problem is said as it stands."""


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that records lines and duplicate keys instead of hiding them.

    Anchors and aliases are refused: an alias repeats what it names, so a few hundred bytes
    of aliases of aliases (a "billion laughs") would grow into gigabytes. Without them, what
    is loaded is never much larger than the text.
    """

    def __init__(self, stream: str, first_line: int) -> None:
        super().__init__(stream)
        self.first_line = first_line
        self.duplicates: list[DuplicateKey] = []
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(
                problem="YAML anchors and aliases are not allowed", problem_mark=event.start_mark
            )
        if self.depth >= MAX_YAML_DEPTH:
            raise _Refused(
                problem=f"the front matter is nested more than {MAX_YAML_DEPTH} levels deep",
                problem_mark=event.start_mark,
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_line_mapping(self, node: yaml.MappingNode) -> Iterator[YamlMapping]:
        mapping = YamlMapping(self.first_line + node.start_mark.line)
        yield mapping
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "found a key that is not text", key_node.start_mark
                ) from None
            line = self.first_line + key_node.start_mark.line
            if key in mapping:
                self.duplicates.append(DuplicateKey(key, line, mapping.key_lines[key]))
            mapping[key] = self.construct_object(value_node)
            mapping.key_lines[key] = line

    def construct_checked_timestamp(self, node: yaml.ScalarNode) -> Any:
        # The timestamp pattern accepts 2024-13-45; say where instead of a bare ValueError.
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"not a real date or time ({exc})", node.start_mark
            ) from None

    def construct_clock_or_int(self, node: yaml.ScalarNode) -> int | str:
        # YAML 1.1 reads 14:00 as the base-60 number 840; people mean a time of day.
        if ":" in node.value:
            return self.construct_scalar(node)
        return self.construct_yaml_int(node)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_line_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _LineLoader.construct_clock_or_int)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _LineLoader.construct_checked_timestamp)


def split_front_matter(
    text: str, error: type[LineError] = NotesFormatError
) -> tuple[str | None, str, int]:
    """Split text into its front matter (None when absent), its body and the body's first line."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    raise error(1, "the front matter that starts here is never closed with '---'")


def load_front_matter(
    yaml_text: str, error: type[LineError] = NotesFormatError
) -> tuple[YamlMapping, list[DuplicateKey]]:
    """Load front matter (which starts on line 2) into a mapping that knows its lines."""
    try:
        loader = _LineLoader(yaml_text, first_line=2)
    except yaml.reader.ReaderError as exc:
        line = 2 + yaml_text.count("\n", 0, exc.position)
        raise error(
            line, f"bad YAML in the front matter: {exc.reason} ({exc.character:#x})"
        ) from None
    try:
        data = loader.get_single_data()
    except _Refused as exc:
        raise error(2 + exc.problem_mark.line, exc.problem) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context
        raise error(2 + mark.line, f"bad YAML in the front matter: {problem}") from None
    finally:
        loader.dispose()
    if data is None:
        data = YamlMapping(2)
    if not isinstance(data, YamlMapping):
        raise error(2, "the front matter must be a list of 'key: value' lines")
    return data, sorted(loader.duplicates, key=lambda duplicate: duplicate.line)


def normalise_newlines(text: str) -> str:
    """Return text without a byte order mark and with Unix line ends."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


# Reading.


def parse(text: str) -> Draft:
    """Read a notes file into a draft; raise NotesFormatError naming the first bad line."""
    yaml_text, body, body_line = split_front_matter(normalise_newlines(text))
    speakers, terms = _read_front_matter(yaml_text) if yaml_text is not None else ((), ())
    handles = frozenset(speaker.handle for speaker in speakers)
    items: list[Item] = []
    for block in _blocks(body, body_line):
        for item in _read_block(block, handles, _continues_confidential(block, items)):
            too_long = limits.ITEM_BODY.problem(item.body)
            if too_long:
                raise NotesFormatError(block.line, too_long)
            items.append(item)
    return Draft(speakers=speakers, terms=terms, items=tuple(items))


def _read_front_matter(yaml_text: str) -> tuple[tuple[Speaker, ...], tuple[str, ...]]:
    """Read the speakers and extra protected terms declared in the front matter."""
    data, duplicates = load_front_matter(yaml_text)
    if duplicates:
        first = duplicates[0]
        raise NotesFormatError(
            first.line, f"'{first.key}' is given twice (first on line {first.first_line})"
        )
    for key in data:
        if key not in FRONT_MATTER_KEYS:
            raise NotesFormatError(
                data.line_of(key), f"unknown front matter key '{key}' (expected speakers, terms)"
            )
    speakers = _read_speakers(data.get("speakers"), data.line_of("speakers"))
    terms = _read_texts(data.get("terms"), data.line_of("terms"), "terms")
    return speakers, terms


def _read_speakers(value: Any, line: int) -> tuple[Speaker, ...]:
    """Read the list of speakers, each handle declared once."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise NotesFormatError(line, "speakers must be a list, one '- handle: ...' per speaker")
    speakers: list[Speaker] = []
    for entry in value:
        speaker = _read_speaker(entry, line)
        if any(other.handle == speaker.handle for other in speakers):
            raise NotesFormatError(
                entry.line_of("handle"), f"speaker handle @{speaker.handle} is declared twice"
            )
        speakers.append(speaker)
    return tuple(speakers)


def _read_speaker(entry: Any, line: int) -> Speaker:
    """Read one speaker entry, which needs at least a handle and a name."""
    if not isinstance(entry, YamlMapping):
        raise NotesFormatError(line, "each speaker must be a mapping such as '- handle: robin'")
    for key in entry:
        if key not in SPEAKER_FIELDS:
            raise NotesFormatError(
                entry.line_of(key),
                f"unknown speaker field '{key}' (expected {', '.join(SPEAKER_FIELDS)})",
            )
    fields = {key: _read_text(entry, key) for key in SPEAKER_FIELDS if key != "aliases"}
    if not fields["handle"]:
        raise NotesFormatError(entry.line, "a speaker needs a handle")
    if not handles.is_handle(fields["handle"]):
        raise NotesFormatError(
            entry.line_of("handle"), f"handle '{fields['handle']}' {handles.RULE}"
        )
    if not fields["name"].strip():
        raise NotesFormatError(entry.line, f"speaker @{fields['handle']} needs a name")
    if fields["email"].strip() and not is_email_address(fields["email"]):
        raise NotesFormatError(
            entry.line_of("email"), f"speaker @{fields['handle']}'s email: {ONE_ADDRESS}"
        )
    too_long = limits.SPEAKER_DESCRIPTOR.problem(fields["descriptor"])
    if too_long:
        raise NotesFormatError(entry.line_of("descriptor"), too_long)
    aliases = _read_texts(entry.get("aliases"), entry.line_of("aliases"), "aliases")
    return Speaker(aliases=aliases, **fields)


def _read_text(entry: YamlMapping, key: str) -> str:
    """Read an optional text field of a speaker; an empty value is empty text."""
    value = entry.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise NotesFormatError(
            entry.line_of(key), f"speaker field '{key}' must be text; put it in quotes"
        )
    return value


def _read_texts(value: Any, line: int, what: str) -> tuple[str, ...]:
    """Read a list of non-empty texts; a single text is a list of one."""
    if value is None:
        return ()
    texts = [value] if isinstance(value, str) else value
    if not isinstance(texts, list) or not all(isinstance(text, str) for text in texts):
        raise NotesFormatError(
            line, f"{what} must be a list of text; put numbers, dates and yes/no in quotes"
        )
    if not all(text.strip() for text in texts):
        raise NotesFormatError(line, f"{what} must not hold empty text")
    return tuple(texts)


@dataclass(frozen=True)
class _Lines:
    """Consecutive lines of the body, with the file line of the first one."""

    line: int
    texts: tuple[str, ...]
    in_code: tuple[bool, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    def part(self, start: int, stop: int) -> _Lines:
        return _Lines(self.line + start, self.texts[start:stop], self.in_code[start:stop])


def _blocks(body: str, first_line: int) -> Iterator[_Lines]:
    """Split the body at blank lines, except inside fenced code."""
    texts = body.split("\n")
    lines = _Lines(first_line, tuple(texts), tuple(_code_lines(texts, first_line)))
    start = None
    for index in range(len(texts) + 1):
        blank = index == len(texts) or not (texts[index].strip() or lines.in_code[index])
        if blank and start is not None:
            yield lines.part(start, index)
            start = None
        elif not blank and start is None:
            start = index


def _code_lines(texts: list[str], first_line: int) -> list[bool]:
    """Flag the lines of fenced code blocks, fences included; an unclosed fence is an error."""
    flags = []
    fence: tuple[str, int] | None = None
    for index, text in enumerate(texts):
        match = _FENCE.match(text)
        if fence is None:
            # A backtick fence's info string cannot hold a backtick: ```x``` is inline code.
            if match and not (match[1][0] == "`" and "`" in match[2]):
                fence = (match[1], first_line + index)
            flags.append(fence is not None)
            continue
        flags.append(True)
        opening = fence[0]
        if match and match[1][0] == opening[0] and len(match[1]) >= len(opening):
            fence = fence if match[2].strip() else None
    if fence is not None:
        raise NotesFormatError(fence[1], f"the code fence {fence[0]} is never closed")
    return flags


def _continues_confidential(block: _Lines, before: list[Item]) -> bool:
    """Tell whether a block is an indented continuation of a confidential item before it.

    An indented paragraph after a bullet continues it in Markdown, and one after a statement or a
    note is meant to: either way, it is confidential when the item it follows is (when in doubt,
    exclude), rather than published on its own as a code block.
    """
    previous = before[-1] if before else None
    indented = block.texts[0][:1] in (" ", "\t")
    return indented and previous is not None and previous.confidential and not _is_section(previous)


def _is_section(item: Item) -> bool:
    return item.kind is ItemKind.SECTION


def _read_block(block: _Lines, handles: frozenset[str], continues: bool = False) -> list[Item]:
    """Read one block; a heading line inside it starts a new part.

    `continues` says the block continues a confidential item (`_continues_confidential`).
    """
    first, *rest = _parts(block)
    items = _read_part(first, handles, inherited=continues)
    # A block that opens with [confidential] stays confidential past a heading: when in doubt,
    # exclude. A list has no opening marker of its own, only its bullets do.
    inherited = items[0].confidential and not _starts_list(first)
    return items + [item for part in rest for item in _read_part(part, handles, inherited)]


def _read_part(part: _Lines, handles: frozenset[str], inherited: bool) -> list[Item]:
    """Read a heading, a paragraph or a list; inherited marks each item in it confidential."""
    if _starts_list(part):
        return _read_list(part, handles, inherited)
    return [_read_item(part, handles, inherited)]


def _parts(block: _Lines) -> Iterator[_Lines]:
    """Split a block before and after each heading line outside code."""
    start = 0
    for index, (text, in_code) in enumerate(zip(block.texts, block.in_code, strict=True)):
        if not in_code and _HEADING_LINE.match(text):
            if index > start:
                yield block.part(start, index)
            yield block.part(index, index + 1)
            start = index + 1
    if start < len(block.texts):
        yield block.part(start, len(block.texts))


def _starts_list(lines: _Lines) -> bool:
    return _is_bullet(lines, 0)


def _is_bullet(lines: _Lines, index: int) -> bool:
    text = lines.texts[index]
    return (
        not lines.in_code[index] and bool(_BULLET.match(text)) and not _THEMATIC_BREAK.match(text)
    )


def _read_item(part: _Lines, handles: frozenset[str], inherited: bool) -> Item:
    """Read a heading line or a paragraph block into one item."""
    text = part.text
    heading = bool(_HEADING_LINE.match(part.texts[0]))
    lead = _read_lead(text, part.line, handles, heading=heading, inherited=inherited)
    confidential, speaker, level, start = lead
    _check_spans(text, start, part.line)
    body = text[start:].rstrip()
    if level:
        return Item(ItemKind.SECTION, body, confidential=confidential, level=level)
    kind = ItemKind.STATEMENT if speaker else ItemKind.NOTE
    return Item(kind, body, speaker=speaker, confidential=confidential)


def _read_list(part: _Lines, handles: frozenset[str], inherited: bool) -> list[Item]:
    """Read a list: marked bullets become items, runs of ordinary bullets become one note."""
    items: list[Item] = []
    ordinary: list[str] = []
    for bullet in _bullets(part):
        content = _bullet_content(bullet.texts)
        lead = _read_lead(content, bullet.line, handles, heading=False, inherited=inherited)
        confidential, speaker, _, start = lead
        _check_spans(content, start, bullet.line)
        if not (confidential or speaker):
            ordinary.extend(bullet.texts)
            continue
        if ordinary:
            items.append(_ordinary_bullets(ordinary))
            ordinary = []
        kind = ItemKind.STATEMENT if speaker else ItemKind.NOTE
        body = content[start:].rstrip()
        items.append(Item(kind, body, speaker=speaker, confidential=confidential, bullet=True))
    if ordinary:
        items.append(_ordinary_bullets(ordinary))
    return items


def _ordinary_bullets(texts: list[str]) -> Item:
    return Item(ItemKind.NOTE, "\n".join(texts).rstrip(), bullet=True)


def _bullets(part: _Lines) -> Iterator[_Lines]:
    """Split a list into bullets, each with its continuation lines."""
    starts = [index for index in range(len(part.texts)) if _is_bullet(part, index)]
    for start, stop in itertools.pairwise([*starts, len(part.texts)]):
        yield part.part(start, stop)


def _bullet_content(texts: tuple[str, ...]) -> str:
    """Return a bullet's text without its marker and without the indent of its continuation."""
    marker = _BULLET.match(texts[0])
    assert marker is not None  # a bullet's first line always has a marker
    indent = re.compile(f" {{0,{max(marker.end(), 2)}}}")
    rest = [indent.sub("", text, count=1) for text in texts[1:]]
    return "\n".join([texts[0][marker.end() :], *rest])


def _read_lead(
    text: str, line: int, handles: frozenset[str], *, heading: bool, inherited: bool
) -> tuple[bool, str | None, int, int]:
    """Read the markers that open an item: confidential, speaker, heading level, body start."""
    # Only a bullet's text can start with a line break: "-" alone, then indented lines.
    marked, position = _take_marker(text, 1 if text.startswith("\n") else 0)
    speaker, level = None, 0
    hashes = _HASHES.match(text, position) if heading else None
    statement = _STATEMENT.match(text, position)
    if hashes:
        level, position = len(hashes[1]), hashes.end()
    elif statement:
        speaker, position = statement[1], _GAP.match(text, statement.end()).end()
        if speaker not in handles:
            raise NotesFormatError(
                _line_at(text, statement.start(), line), _unknown(speaker, handles)
            )
    if not marked and (hashes or statement):
        marked, position = _take_marker(text, position)
    return marked or inherited, speaker, level, position


def _take_marker(text: str, position: int) -> tuple[bool, int]:
    """Take a leading [confidential] item marker, unless it opens a span closed later."""
    marker = _MARKER.match(text, position)
    if not marker or markers.is_closing(marker):
        return False, position
    following = _MARKER.search(text, marker.end())
    if following and markers.is_closing(following):
        return False, position
    return True, _GAP.match(text, marker.end()).end()


def _check_spans(text: str, start: int, line: int) -> None:
    """Check that confidential spans are closed, not nested, and closed only when open."""
    opened = None
    for marker in _MARKER.finditer(text, start):
        here = _line_at(text, marker.start(), line)
        closing = markers.is_closing(marker)
        if opened is None and markers.marked_item(text, marker):
            continue  # it marks a nested bullet, a numbered item or a quote
        if not closing and opened is not None:
            raise NotesFormatError(here, f"[confidential] inside a span opened on line {opened}")
        if closing and opened is None:
            raise NotesFormatError(here, "[/confidential] without an opening [confidential]")
        opened = None if closing else here
    if opened is not None:
        raise NotesFormatError(opened, "[confidential] span is never closed with [/confidential]")


def _line_at(text: str, position: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, position)


def _unknown(handle: str, handles: frozenset[str]) -> str:
    close = difflib.get_close_matches(handle, sorted(handles), n=1)
    hint = f" (did you mean @{close[0]}?)" if close else ""
    return f"unknown speaker handle @{handle}{hint}"


def is_list(body: str) -> bool:
    """Tell whether a body is itself a list, as the body of a run of ordinary bullets is."""
    first_line = body.split("\n", 1)[0]
    return bool(_BULLET.match(first_line)) and not _THEMATIC_BREAK.match(first_line)


# Writing.


class _FlowList(list):
    """A list of texts written on one line, as in ``aliases: [Rob, Dr Example]``."""


class _Dumper(yaml.SafeDumper):
    """A YAML dumper that writes front matter the way people write it by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)

    def represent_flow_list(self, data: _FlowList) -> yaml.SequenceNode:
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(_FlowList, _Dumper.represent_flow_list)


def serialise(draft: Draft) -> str:
    """Write a draft in the notes format; parse() reads it back to the same draft."""
    parts = [_write_front_matter(draft), _write_items(draft.items)]
    text = "\n\n".join(part for part in parts if part)
    return f"{text}\n" if text else ""


def _write_front_matter(draft: Draft) -> str:
    data: dict[str, Any] = {}
    if draft.speakers:
        data["speakers"] = [_speaker_fields(speaker) for speaker in draft.speakers]
    if draft.terms:
        data["terms"] = _FlowList(draft.terms)
    if not data:
        return ""
    dumped = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
    )
    return f"---\n{dumped}---"


def _speaker_fields(speaker: Speaker) -> dict[str, Any]:
    fields = {key: getattr(speaker, key) for key in SPEAKER_FIELDS}
    fields["aliases"] = _FlowList(speaker.aliases)
    return {key: value for key, value in fields.items() if value}


def _write_items(items: tuple[Item, ...]) -> str:
    blocks: list[str] = []
    for in_list, group in itertools.groupby(items, key=_in_list):
        if in_list:
            blocks.extend(_write_list(list(group)))
        else:
            blocks.extend(_write_item(item) for item in group)
    return "\n\n".join(blocks)


def _in_list(item: Item) -> bool:
    return item.bullet and item.kind != ItemKind.SECTION


def _is_ordinary(item: Item) -> bool:
    return item.kind == ItemKind.NOTE and not item.confidential


def _write_list(items: list[Item]) -> list[str]:
    """Write consecutive bullet items as one list, split only where two notes would merge."""
    marker = next((item.body[0] for item in items if _is_ordinary(item) and item.body), "-")
    marker = marker if marker in "-*+" else "-"
    blocks: list[list[str]] = [[]]
    previous_ordinary = False
    for item in items:
        ordinary = _is_ordinary(item)
        if ordinary and previous_ordinary:
            blocks.append([])
        blocks[-1].append(_write_ordinary(item) if ordinary else _write_bullet(item, marker))
        previous_ordinary = ordinary
    return ["\n".join(block) for block in blocks]


def _write_ordinary(item: Item) -> str:
    # The body of a run of ordinary bullets is the list itself; only a hand-made body lacks one.
    return item.body if is_list(item.body) else _write_bullet(item, "-")


def _write_bullet(item: Item, marker: str) -> str:
    first, *rest = _with_lead(item, in_list=True).split("\n")
    return "\n".join(
        [f"{marker} {first}".rstrip(), *(f"  {text}" if text else "" for text in rest)]
    )


def _write_item(item: Item) -> str:
    if item.kind == ItemKind.SECTION:
        level = "#" * min(max(item.level, 1), 6)
        marker = f"{_MARKER_TEXT} " if item.confidential else ""
        return f"{marker}{level} {item.body}".rstrip()
    return _with_lead(item, in_list=False).rstrip()


def _with_lead(item: Item, in_list: bool) -> str:
    """Put the confidential marker and the handle before the body."""
    marker = [_MARKER_TEXT] if item.confidential else []
    handle = [f"@{item.speaker}:"] if item.kind == ItemKind.STATEMENT and item.speaker else []
    lead = " ".join(marker + handle)
    if not lead:
        return item.body
    # The body starts on a line of its own when it starts with space, which would be lost after
    # the lead, with a code fence, which opens only at the start of a line, or with a list or
    # quote marker, whose own [confidential] would no longer start its item.
    first, *rest = item.body.split("\n")
    on_lead_line = (
        not first[:1].isspace() and not _ITEM_LEAD.match(first) and _stays_one_block(rest, in_list)
    )
    separator = " " if on_lead_line else "\n"
    return f"{lead}{separator}{item.body}"


_ITEM_LEAD = re.compile(r"(?:[-*+]|\d{1,9}[.)]|>)(?:[ \t]|$)")


def _stays_one_block(texts: list[str], in_list: bool) -> bool:
    """Tell whether lines stay in one block: fences closed, no blank or heading line outside."""
    try:
        in_code = _code_lines(texts, 1)
    except NotesFormatError:
        return False
    # In a list the lines are indented, and an indented line is never a heading.
    return all(
        code or (text.strip() and (in_list or not _HEADING_LINE.match(text)))
        for text, code in zip(texts, in_code, strict=True)
    )
