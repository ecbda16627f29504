"""Errors a user can cause. The command line prints their message as one line."""


class UserError(Exception):
    """Something the user can fix: the message says what is wrong and what to do."""


class AudioError(UserError):
    """An audio file that is missing, empty or not audio."""


class BankError(UserError):
    """A question bank that cannot be read or does not validate."""


class ModelError(UserError):
    """A speech model that cannot be found or loaded."""
