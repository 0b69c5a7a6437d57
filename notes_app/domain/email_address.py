"""What an email address is here: exactly one mailbox, no display name, checked offline.

Every address the app keeps or writes to (accounts, invitations, speakers, notes files, the
users command) is read by ``normalise_email``. A field that held a list (``a@x.org,b@y.org``) or
a display name would put several recipients in one ``To:`` header and make one account that
many people can reset.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

ONE_ADDRESS = "That is not an email address. Enter one email address, like name@example.org."

# Separators of address lists, display names and quoted local parts; the validator refuses
# them too, but they are the reason this module exists, so they are refused by name.
_NEVER_IN_AN_ADDRESS = frozenset(',;<>"')


class NotAnEmailAddress(ValueError):
    """The text is not exactly one plain email address."""

    def __init__(self) -> None:
        super().__init__(ONE_ADDRESS)


def normalise_email(text: str) -> str:
    """Return the one address in text, as accounts are keyed by it; else raise NotAnEmailAddress.

    The result is ASCII (an international domain in its xn-- form, which any mail server
    takes) and in lower case.
    """
    candidate = text.strip()
    if not candidate or any(
        c in _NEVER_IN_AN_ADDRESS or c.isspace() or not c.isprintable() for c in candidate
    ):
        raise NotAnEmailAddress()
    try:
        checked = validate_email(
            candidate,
            check_deliverability=False,  # no DNS: deciding must not depend on the network
            allow_smtputf8=False,
            allow_display_name=False,
            allow_quoted_local=False,
            allow_domain_literal=False,
        )
    except EmailNotValidError as error:
        raise NotAnEmailAddress() from error
    return checked.ascii_email.lower()


def is_email_address(text: str) -> bool:
    try:
        normalise_email(text)
    except NotAnEmailAddress:
        return False
    return True
