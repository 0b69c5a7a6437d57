"""Errors a use case reports to its caller (a page or a command), in words for a person."""


class ServiceError(ValueError):
    """The request cannot be carried out as asked; nothing was changed."""


class NotFound(ServiceError):
    """The thing does not exist, or the actor may not know that it does."""


class Conflict(ServiceError):
    """Someone else changed the thing since the actor loaded it."""
