"""What else identifies a speaker, derived in one place from their record (DESIGN.md, rule 3).

Beyond the name, aliases, full organisation and full email (see `redaction._speaker_terms`), a
speaker who may not be named is identified by: the organisation's distinctive part (without
generic words or leading articles), its distinctive acronym, the email's domain and registrable
part (unless a public mail provider), the email's distinctive local part, the email written out
("x at y dot org") and the role. Each form is kept only when it is distinctive (rule 6): a
common English word, a generic word or a public mail provider is never protected on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from notes_app.domain.textmatch import COMMON_WORDS, TOKEN, fold, skeleton


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_GENERIC_ORGANISATION_WORDS = _set("""
    university universities college council councils ltd limited plc llp llc inc incorporated
    corp corporation company co trust foundation institute institution centre center group
    agency department dept office authority society association network nhs school academy
    board committee commission partnership services service ministry
    """)
_ORGANISATION_ARTICLES = _set("the a an")
_CONNECTIVES = _set("of for and the in at on to &")
_PUBLIC_MAIL_PROVIDERS = _set("""
    gmail.com googlemail.com outlook.com hotmail.com hotmail.co.uk live.com live.co.uk msn.com
    yahoo.com yahoo.co.uk ymail.com icloud.com me.com mac.com proton.me protonmail.com pm.me
    aol.com gmx.com gmx.net gmx.de gmx.co.uk btinternet.com sky.com virginmedia.com
    talktalk.net mail.com zoho.com fastmail.com hey.com yandex.com
    """)
# Reserved for documentation (RFC 2606): shared by everyone, they identify no organisation.
_RESERVED_DOMAINS = _set("example.com example.org example.net")
_PUBLIC_MAIL_NAMES = _set(
    "gmail googlemail outlook hotmail live msn yahoo ymail icloud proton protonmail gmx "
    "btinternet aol mail zoho fastmail yandex"
)
# Second-level suffixes under which the registrable name is the label before them.
_SECOND_LEVEL = _set("ac co gov org ltd plc me net sch nhs police mod com edu")
_ROLE_MAILBOXES = _set("""
    info admin administrator hello contact contacts office enquiries enquiry inquiries mail
    email team support help sales press media news noreply reply webmaster postmaster
    secretary secretariat general reception events membership
    """)
_ROLE_DETERMINERS = ("the", "a", "an", "our", "their", "its")


@dataclass(frozen=True)
class Derived:
    """One extra form that identifies a speaker.

    `replacement` is None where the speaker's own replacement (descriptor or "a participant")
    is used; `kind` is a `redaction.TermKind` value.
    """

    text: str
    kind: str
    replacement: str | None
    ambiguous: bool = False


def _distinctive_word(word: str) -> bool:
    key = skeleton(word)
    return len(key) >= 4 and key not in COMMON_WORDS


def organisation_forms(organisation: str) -> list[str]:
    """The organisation's distinctive part and acronym (the full name is protected anyway)."""
    tokens = TOKEN.findall(organisation)
    if not tokens:
        return []
    forms = []
    kept = [t for t in tokens if fold(t) not in _GENERIC_ORGANISATION_WORDS]
    while kept and fold(kept[0]) in _ORGANISATION_ARTICLES | _CONNECTIVES:
        kept.pop(0)
    while kept and fold(kept[-1]) in _CONNECTIVES:
        kept.pop()
    if kept and len(kept) < len(tokens):
        if len(kept) == 1:
            if _distinctive_word(kept[0]):
                forms.append(kept[0])
        elif any(_distinctive_word(t) for t in kept if fold(t) not in _CONNECTIVES):
            forms.append(" ".join(kept))
    acronym = _acronym(tokens)
    if acronym:
        forms.append(acronym)
    return forms


def _acronym(tokens: list[str]) -> str:
    """The initials of the organisation's words (or a word written in capitals), 3+ letters."""
    written = [t for t in tokens if len(t) >= 3 and t.isupper() and t.isalpha()]
    skipped = _ORGANISATION_ARTICLES | _CONNECTIVES
    initials = "".join(t[0] for t in tokens if t[0].isupper() and fold(t) not in skipped)
    for candidate in (*written, initials):
        key = fold(candidate)
        if len(candidate) >= 3 and key not in COMMON_WORDS | _GENERIC_ORGANISATION_WORDS:
            return candidate
    return ""


def email_forms(email: str) -> list[tuple[str, str | None]]:
    """The email's domain, registrable name, distinctive local part and written-out forms."""
    local, at, domain = email.strip().rpartition("@")
    domain = domain.strip().strip(".").lower()
    if not at or not local or "." not in domain:
        return []
    forms: list[tuple[str, str | None]] = []
    public = (
        domain in _PUBLIC_MAIL_PROVIDERS | _RESERVED_DOMAINS
        or domain.split(".")[0] in _PUBLIC_MAIL_NAMES
    )
    labels = domain.split(".")
    if not public:
        forms.append((domain, None))
        name = _registrable_name(labels)
        if name and name != domain and _distinctive_word(name):
            forms.append((name, None))
    key = skeleton(local)
    if len(key) >= 4 and key not in COMMON_WORDS and fold(local) not in _ROLE_MAILBOXES:
        forms.append((local, None))
    # The address written out: "robin at example dot org", "robin at example.org".
    spelled = " dot ".join(labels)
    forms.append((f"{local} at {spelled}", "[email removed]"))
    forms.append((f"{local} at {domain}", "[email removed]"))
    return forms


def local_part(email: str) -> str:
    return email.strip().rpartition("@")[0]


def _registrable_name(labels: list[str]) -> str:
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else ""


def role_forms(role: str) -> list[str]:
    """The role as a phrase, also with its article (so "the X said" reads "a participant said")."""
    role = " ".join(role.split())
    if not skeleton(role):
        return []
    return [*(f"{d} {role}" for d in _ROLE_DETERMINERS), role]


def derived_forms(organisation: str, email: str, role: str) -> list[Derived]:
    """Every extra protected form of a speaker who may not be named.

    Organisation, domain, local part and role are replaced like the speaker's name (by their
    descriptor or "a participant"), as the full organisation already is; the written-out email
    is removed like an email.
    """
    found = [Derived(f, "organisation", None) for f in organisation_forms(organisation)]
    for text, replacement in email_forms(email):
        kind = "email" if replacement or text == local_part(email) else "organisation"
        found.append(Derived(text, kind, replacement))
    for text in role_forms(role):
        one_word = len(TOKEN.findall(text)) == 1
        found.append(Derived(text, "role", None, ambiguous=one_word))
    return found
