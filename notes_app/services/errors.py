"""Errors a use case reports to its caller (a page or a command), in words for a person."""

from notes_app.domain.limits import Limit


class ServiceError(ValueError):
    """The request cannot be carried out as asked; nothing was changed."""


class NotFound(ServiceError):
    """The thing does not exist, or the actor may not know that it does."""


class Conflict(ServiceError):
    """Someone else changed the thing since the actor loaded it."""


def check_length(limit: Limit, text: str | None) -> None:
    """Refuse text longer than `limit`, saying what the limit is."""
    problem = limit.problem(text)
    if problem is not None:
        raise ServiceError(problem)
