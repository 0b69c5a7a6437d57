"""Members' comments on published notes: post, edit, delete, hide, and what the notes page shows.

Comments are Markdown, rendered and sanitised once by `rendering.render_markdown` when stored.
A comment that names a protected term of its meeting, or repeats its confidential text, is
refused with one message that names nothing; only the refusal is stored, in the audit log. Replies
are one level deep: a reply to a reply is attached to the top comment of its thread.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape
from urllib.parse import unquote_plus

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import aliased

from notes_app.domain import limits, policy
from notes_app.domain.notes import Draft
from notes_app.domain.policy import Actor
from notes_app.domain.redaction import Match, ProtectedTerm, find_terms, repeats_confidential
from notes_app.domain.rendering import render_markdown
from notes_app.extensions import db
from notes_app.models import (
    AuditEvent,
    Comment,
    Meeting,
    Membership,
    Network,
    Publication,
    User,
)
from notes_app.models.types import utcnow
from notes_app.services import (
    accounts,
    audit,
    mail,
    protection,
    publications,
    search,
)
from notes_app.services.errors import NotFound, ServiceError, check_length

MAX_REASON = 500
RESCREEN_REASON = "May identify a speaker or repeat something said in confidence"
ANONYMOUS_AUTHOR = "a member"
FORMER_MEMBER = "a former member"

# One message for every kind of match, naming nothing: a refusal that said which name,
# organisation or address it found would tell a member who spoke (DESIGN.md, "Comments").
REFUSED = (
    "Your comment was not saved because it contains something that may identify a speaker "
    "who has not agreed to be named, or repeats something said in confidence. The meeting ran "
    "under the Chatham House Rule: write it another way and post again."
)


class ProtectedTermRefused(ServiceError):
    """The comment names something members must not see; only the refusal was recorded.

    `rule` says which kind of rule refused it, for the audit log; the message never does.
    """

    def __init__(self, rule: str, matches: Sequence[Match] = ()) -> None:
        self.rule = rule
        self.matches = tuple(matches)
        super().__init__(REFUSED)


# Posting and changing --------------------------------------------------------------------------


def post(
    meeting: Meeting,
    actor: Actor,
    body: str,
    item_id: str | None = None,
    parent_id: int | None = None,
    anonymous: bool = False,
) -> Comment:
    """Store a comment on the notes, on one of their items, or in reply to a comment."""
    if not policy.can_comment(actor, meeting.network_id):
        raise NotFound("There is no such meeting.")
    _hold_meeting(meeting)
    publication = publications.latest_publication(meeting)
    if publication is None:
        raise NotFound("These notes are not published yet.")
    parent = None
    if parent_id is not None:
        parent = _top_of_thread(meeting, _load(meeting, parent_id, lock="share"))
        if parent.deleted_at is not None or parent.hidden_at is not None:
            raise ServiceError("That comment has been removed, so it cannot be replied to.")
        item_id = parent.item_id  # a reply belongs where its thread is
    elif item_id is not None and item_id not in _item_ids(publication):
        raise NotFound("That part is not in the notes.")
    body, html = _checked(meeting, actor, body)
    comment = Comment(
        meeting_id=meeting.id,
        item_id=item_id,
        parent_id=parent.id if parent else None,
        author_id=actor.user_id,
        anonymous=anonymous,
        body=body,
        html=html,
    )
    db.session.add(comment)
    db.session.flush()
    search.index_comment(comment)
    if parent is not None:
        _notify_reply(meeting, parent, comment)
    return comment


def edit(meeting: Meeting, actor: Actor, comment_id: int, body: str) -> Comment:
    """Change the text of one's own comment; it is then shown as edited."""
    _hold_meeting(meeting)  # first, as `post` does, so that the locks are taken in one order
    comment = editable(meeting, actor, comment_id, lock="update")
    body, html = _checked(meeting, actor, body)
    if body != comment.body:
        comment.body, comment.html, comment.edited_at = body, html, utcnow()
        search.index_comment(comment)
    return comment


def delete(meeting: Meeting, actor: Actor, comment_id: int) -> None:
    """Delete one's own comment; its text is removed, its replies stay under a placeholder."""
    comment = _load(meeting, comment_id, lock="update")
    if not policy.can_change_comment(actor, comment.author_id) or comment.deleted_at:
        raise NotFound("There is no such comment.")
    comment.deleted_at = utcnow()
    comment.body = comment.html = ""
    search.remove_comment(comment)


def hide(meeting: Meeting, actor: Actor, comment_id: int, reason: str) -> Comment:
    """Hide a comment from members, with a reason; facilitators still see it."""
    if not policy.can_moderate_comments(actor, meeting.network_id):
        raise NotFound("There is no such comment.")
    comment = _load(meeting, comment_id, lock="update")
    if comment.deleted_at is not None:
        raise NotFound("There is no such comment.")
    reason = " ".join(reason.split())
    if not reason:
        raise ServiceError("Say why the comment is hidden: its author will see the reason.")
    if len(reason) > MAX_REASON:
        raise ServiceError(f"Keep the reason under {MAX_REASON} characters.")
    if comment.hidden_at is not None:
        raise ServiceError("That comment is hidden already.")
    comment.hidden_at, comment.hidden_by_id, comment.hidden_reason = utcnow(), actor.user_id, reason
    search.remove_comment(comment)
    audit.record(
        "comment_hidden",
        actor_id=actor.user_id,
        network_id=meeting.network_id,
        subject=meeting.slug,
        comment=comment.id,
        reason=reason,
    )
    return comment


def rescreen(meeting: Meeting) -> int:
    """Hide every visible comment that now fails the gate, as a new comment would.

    Run after a consent narrowed and at every publication: a comment posted before an item
    became confidential, or before a speaker or term was declared, is screened again. A
    comment is screened against every meeting of the network (`protection.CommentScreen`), so
    the comments on every meeting of the network are screened again, and the bylines of this
    meeting's comments left are indexed as the gate lets members see them now.
    """
    visible = db.session.scalars(
        select(Comment)
        .join(Meeting, Meeting.id == Comment.meeting_id)
        .where(
            Meeting.network_id == meeting.network_id,
            Comment.deleted_at.is_(None),
            Comment.hidden_at.is_(None),
        )
        .order_by(Comment.id)
        .with_for_update()
    ).all()
    screens = protection.comment_screens(meeting.network_id) if visible else {}
    now, hidden = utcnow(), Counter()
    for comment in visible:
        if _failed_rule(comment.body, comment.html, screens[comment.meeting_id]):
            comment.hidden_at, comment.hidden_by_id = now, None
            comment.hidden_reason = RESCREEN_REASON
            search.remove_comment(comment)
            hidden[comment.meeting_id] += 1
    search.refresh_bylines(meeting)
    for meeting_id, count in sorted(hidden.items()):
        where = db.session.get(Meeting, meeting_id)
        audit.record(
            "comments_rescreened",
            actor_id=None,
            network_id=where.network_id,
            subject=where.slug,
            hidden=count,
        )
    return hidden[meeting.id]


def get(meeting: Meeting, comment_id: int) -> Comment:
    """Load a comment of this meeting that is not deleted."""
    comment = _load(meeting, comment_id)
    if comment.deleted_at is not None:
        raise NotFound("There is no such comment.")
    return comment


def editable(meeting: Meeting, actor: Actor, comment_id: int, *, lock: str = "") -> Comment:
    """Load one's own comment, if it may still be changed."""
    comment = _load(meeting, comment_id, lock=lock)
    if not policy.can_change_comment(actor, comment.author_id) or comment.deleted_at:
        raise NotFound("There is no such comment.")
    if comment.hidden_at is not None:
        raise ServiceError("A facilitator has hidden this comment, so it cannot be edited.")
    return comment


def meeting_terms(meeting: Meeting) -> list[ProtectedTerm]:
    return protection.meeting_terms(meeting)


def _checked(meeting: Meeting, actor: Actor, body: str) -> tuple[str, str]:
    """Render a comment, refusing it if it is empty, too long or names a protected term."""
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ServiceError("Write something before posting.")
    check_length(limits.COMMENT, body)
    html = render_markdown(body)
    if not html.strip():
        raise ServiceError("Nothing would be left of this comment once it is shown: add text.")
    rule = _failed_rule(body, html, protection.comment_screen(meeting))
    if rule:
        raise _refused(meeting, actor, rule)
    return body, html


def _failed_rule(body: str, html: str, screen: protection.CommentScreen) -> str:
    """The one check of a comment, new or screened again: which rule refuses it, or ""."""
    found = _names_terms(body, html, screen.terms)
    if found:
        return f"protected term: {found[0].term.kind}"
    # A name of the confidential text ("the Halberd Foundation") is a confidential term.
    if _names_terms(body, html, screen.confidential_terms):
        return "confidential term"
    if any(_repeats_confidential(body, html, draft) for draft in screen.drafts):
        return "confidential text"
    return ""


def _repeats_confidential(body: str, html: str, draft: Draft) -> bool:
    text = unescape(_TAG.sub("", _BLOCK_END.sub("\n\n", html)))
    # Runs of words and whole short spans only: a refusal for one rare word would let a
    # member test guesses at confidential words one at a time (its names are refused above).
    return any(repeats_confidential(draft, view, single_words=False) for view in (body, text))


def _refused(meeting: Meeting, actor: Actor, rule: str) -> ProtectedTermRefused:
    """Audit a refused comment (who, which meeting, which kind of rule; never what matched)."""
    audit.record(
        "comment_refused",
        actor_id=actor.user_id,
        network_id=meeting.network_id,
        subject=meeting.slug,
        meeting_id=meeting.id,
        rule=rule,
    )
    return ProtectedTermRefused(rule)


LIMIT_REACHED = "limit of refused comments reached"


def record_refusal_limit(actor: Actor, network_slug: str, meeting_slug: str) -> bool:
    """Audit that a member reached the limit of refused comments on this meeting, once per run
    of refusals (not at every request while they wait). Return whether an entry was added."""
    meeting = db.session.scalar(
        select(Meeting)
        .join(Network, Network.id == Meeting.network_id)
        .where(Network.slug == network_slug, Meeting.slug == meeting_slug)
    )
    if meeting is None or not policy.can_comment(actor, meeting.network_id):
        return False
    latest = db.session.scalar(
        select(AuditEvent.action)
        .where(
            AuditEvent.actor_id == actor.user_id,
            AuditEvent.action.in_(("comment_refused", "comment_refusals_limited")),
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    if latest == "comment_refusals_limited":
        return False
    audit.record(
        "comment_refusals_limited",
        actor_id=actor.user_id,
        network_id=meeting.network_id,
        subject=meeting.slug,
        meeting_id=meeting.id,
        rule=LIMIT_REACHED,
    )
    return True


@dataclass(frozen=True)
class Refusal:
    """A refused comment as facilitators see it: who, when and which kind of rule."""

    at: datetime
    member: str
    rule: str


def refusals(meeting: Meeting, limit: int = 50) -> list[Refusal]:
    """The latest refused comments of a meeting, newest first, for its facilitators."""
    rows = db.session.execute(
        select(AuditEvent, User.name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(
            AuditEvent.action.in_(("comment_refused", "comment_refusals_limited")),
            AuditEvent.network_id == meeting.network_id,
            AuditEvent.subject == meeting.slug,
        )
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    ).all()
    return [
        Refusal(event.at, name or FORMER_MEMBER, str(event.details.get("rule", "")))
        for event, name in rows
        if event.details.get("meeting_id") in (None, meeting.id)
    ]


_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|pre|blockquote|td|th|tr)>|<br\s*/?>|<hr\s*/?>")
_ATTRIBUTE = re.compile(r'\s[a-z-]+="([^"]*)"')


def _names_terms(body: str, html: str, terms: Sequence[ProtectedTerm]) -> list[Match]:
    """Find protected terms, email addresses and phone numbers in the Markdown and in what the
    browser shows: text (and that text with what reads as tags taken out: a comment shows
    `<b>Quil</b>lan` as written, which any reader joins) and links."""
    text = unescape(_TAG.sub("", _BLOCK_END.sub("\n\n", html)))
    attributes = "\n\n".join(
        unquote_plus(unquote_plus(unescape(v))) for v in _ATTRIBUTE.findall(html)
    )
    shown_tags = _TAG.sub("", text) if "<" in text else ""
    for view in (body, html, text, shown_tags, attributes):
        found = find_terms(view, terms, contacts=())
        if found:
            return found
    return []


def _hold_meeting(meeting: Meeting) -> None:
    """Share-lock the meeting's row, so a consent change that locks it cannot slip past the
    protected-term check (PostgreSQL; SQLite runs one writing transaction at a time)."""
    db.session.execute(
        select(Meeting.id).where(Meeting.id == meeting.id).with_for_update(read=True)
    )


def _load(meeting: Meeting, comment_id: int, *, lock: str = "") -> Comment:
    """Load a comment of this meeting; `lock` ("share" or "update") holds its row until commit."""
    query = select(Comment).where(Comment.id == comment_id, Comment.meeting_id == meeting.id)
    if lock:
        query = query.with_for_update(read=lock == "share").execution_options(
            populate_existing=True
        )
    comment = db.session.scalar(query)
    if comment is None:
        raise NotFound("There is no such comment.")
    return comment


def _top_of_thread(meeting: Meeting, comment: Comment) -> Comment:
    """Replies are one level deep: a reply to a reply joins its thread's top comment."""
    if comment.parent_id is None:
        return comment
    return _load(meeting, comment.parent_id, lock="share")


def _item_ids(publication: Publication) -> set[str]:
    return {item["id"] for item in publication.items}


def _notify_reply(meeting: Meeting, parent: Comment, reply: Comment) -> None:
    """Email the author of the comment replied to (see `reply_recipient`)."""
    recipient = reply_recipient(meeting, parent, reply)
    if recipient is None:
        return
    subject, text = reply_mail(meeting, reply)
    mail.queue(
        recipient.email,
        subject,
        text,
        kind="reply",
        ref=f"comment:{reply.id}",
        meeting_id=meeting.id,
    )


def reply_recipient(meeting: Meeting, parent: Comment, reply: Comment) -> User | None:
    """Who hears of a reply: the author of the comment replied to, unless they replied to
    themselves, switched replies off, or are no longer in the network."""
    if parent.author_id is None or parent.author_id == reply.author_id:
        return None
    recipient = db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(User.id == parent.author_id, Membership.network_id == meeting.network_id)
    )
    if recipient is None or not recipient.notify_replies:
        return None
    return recipient


def reply_mail(meeting: Meeting, reply: Comment) -> tuple[str, str]:
    """The subject and text of a reply's notification, with its author shown as members may
    see them now (a speaker who withdrew is "a member")."""
    author = db.session.get(User, reply.author_id) if reply.author_id is not None else None
    replier = (
        ANONYMOUS_AUTHOR
        if reply.anonymous or author is None
        else protection.meeting_byline(meeting, author.name)
    )
    network = db.session.get(Network, meeting.network_id)
    title = protection.meeting_for_members(meeting).title
    path = f"/n/{network.slug}/m/{meeting.slug}/notes#comment-{reply.id}"
    text = render_template(
        "mail/reply.txt",
        replier=replier,
        title=title,
        network=network,
        url=accounts.link(path),
        account_url=accounts.link("/account/"),
    )
    return f"New reply to your comment: {title}", text


# What the notes page shows ----------------------------------------------------------------------


@dataclass(frozen=True)
class ShownComment:
    """A comment as one viewer sees it: the flags say what they may do with it."""

    id: int
    state: str  # "visible", "deleted" (placeholder), "hidden" (facilitators), "withheld"
    author: str
    without_name: bool
    own: bool
    html: str
    created_at: datetime
    edited_at: datetime | None
    hidden_reason: str
    hidden_by: str
    can_reply: bool
    can_edit: bool
    can_delete: bool
    can_hide: bool
    replies: tuple[ShownComment, ...] = ()


@dataclass(frozen=True)
class NotesComments:
    """The comments on one publication, placed where the notes page shows them."""

    on_notes: tuple[ShownComment, ...] = ()
    by_item: dict[str, tuple[ShownComment, ...]] = field(default_factory=dict)
    on_removed_items: tuple[ShownComment, ...] = ()
    can_comment: bool = False


def _byline_gate(meeting: Meeting) -> Callable[[str], str]:
    """Bylines as members of this meeting see them, the meeting's protection read once."""
    draft, terms = protection.meeting_protection(meeting)
    return lambda name: protection.byline_for_members(name, terms, draft)


def for_notes_page(meeting: Meeting, publication: Publication, actor: Actor) -> NotesComments:
    """Load every comment of the meeting with its author, in one query, and arrange them."""
    author, hider = aliased(User), aliased(User)
    rows = db.session.execute(
        select(Comment, author.name, hider.name)
        .outerjoin(author, author.id == Comment.author_id)
        .outerjoin(hider, hider.id == Comment.hidden_by_id)
        .where(Comment.meeting_id == meeting.id)
        .order_by(Comment.created_at, Comment.id)
    ).all()
    viewer = _Viewer(actor, meeting.network_id, _byline_gate(meeting))
    replies: dict[int, list[tuple]] = {}
    tops = []
    for row in rows:
        if row[0].parent_id is None:
            tops.append(row)
        else:
            replies.setdefault(row[0].parent_id, []).append(row)
    current = _item_ids(publication)
    on_notes, by_item, removed = [], {}, []
    for row in tops:
        shown = viewer.thread(row, replies.get(row[0].id, []))
        if shown is None:
            continue
        item_id = row[0].item_id
        if item_id is None:
            on_notes.append(shown)
        elif item_id in current:
            by_item.setdefault(item_id, []).append(shown)
        else:
            removed.append(shown)
    return NotesComments(
        tuple(on_notes),
        {key: tuple(value) for key, value in by_item.items()},
        tuple(removed),
        policy.can_comment(actor, meeting.network_id),
    )


class _Viewer:
    """Decides, for one actor, what each comment shows: the rules live in `policy`."""

    def __init__(self, actor: Actor, network_id: int, byline: Callable[[str], str]) -> None:
        self.actor = actor
        self.byline = byline
        self.moderator = policy.can_moderate_comments(actor, network_id)
        self.commenter = policy.can_comment(actor, network_id)

    def thread(self, row, reply_rows) -> ShownComment | None:
        replies = tuple(
            shown
            for shown in (self.comment(r, top=False, replied=False) for r in reply_rows)
            if shown
        )
        return self.comment(row, top=True, replied=bool(replies), replies=replies)

    def comment(self, row, *, top: bool, replied: bool, replies=()) -> ShownComment | None:
        comment, author_name, hider_name = row
        own = policy.can_change_comment(self.actor, comment.author_id)
        if comment.deleted_at is not None:
            state = "deleted"
        elif comment.hidden_at is None:
            state = "visible"
        elif self.moderator:
            state = "hidden"
        else:
            state = "withheld"
        # A removed comment leaves a placeholder only where replies (or its author) need one.
        if state == "deleted" and not replied:
            return None
        if state == "withheld" and not (replied or own):
            return None
        shows_text = state in ("visible", "hidden")
        named = not comment.anonymous or self.moderator
        if not shows_text:
            name = ""
        elif comment.author_id is None:
            name = FORMER_MEMBER
        elif not named:
            name = ANONYMOUS_AUTHOR
        else:
            # Facilitators see who wrote it; members see a name only if it passes the gate.
            name = author_name if self.moderator else self.byline(author_name or "")
        return ShownComment(
            id=comment.id,
            state=state,
            author=name,
            without_name=comment.anonymous and shows_text and (self.moderator or own),
            own=own,
            html=comment.html if shows_text else "",
            created_at=comment.created_at,
            edited_at=comment.edited_at if shows_text else None,
            hidden_reason=comment.hidden_reason
            if state == "hidden" or (state == "withheld" and own)
            else "",
            hidden_by=(hider_name or "") if state == "hidden" else "",
            can_reply=top and state == "visible" and self.commenter,
            can_edit=own and state == "visible",
            can_delete=own and state in ("visible", "withheld", "hidden"),
            can_hide=self.moderator and state == "visible",
            replies=replies,
        )
