"""URL converters: an id in an address is a number the database can hold, or the page is 404."""

from __future__ import annotations

import builtins

from flask import Flask
from werkzeug.routing import IntegerConverter

# Every id and number column is an INTEGER: 32 bits on PostgreSQL, the smaller of the two.
DATABASE_INT_MAX = 2**31 - 1


class DatabaseIntConverter(IntegerConverter):
    """`<int:...>` that does not match a number too large for the database (so: 404, not 500)."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        highest = DATABASE_INT_MAX if max is None else builtins.min(max, DATABASE_INT_MAX)
        super().__init__(url_map, fixed_digits, min, highest, signed)


def fits_database(number: int | None) -> bool:
    """Whether a number read from a form or a query can be compared with a column."""
    return number is None or -DATABASE_INT_MAX - 1 <= number <= DATABASE_INT_MAX


def form_id(value: str | None) -> int | None:
    """An id a form names (a hidden field): None when it is missing, not a number, or a number
    too large for the database, so that it can name nothing."""
    if not value or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if fits_database(number) else None


def form_version(value: str | None) -> int:
    """The version a form says it started from; a missing or impossible one (-1) never matches.

    Such a form gets the conflict page rather than overwriting anything.
    """
    try:
        version = int(value or "")
    except ValueError:
        return -1
    return version if fits_database(version) else -1


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIntConverter
