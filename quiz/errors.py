"""Errors a person can cause: reported as one line on stderr, never a traceback."""


class UserError(Exception):
    """A missing file, a bad bank, a database that is not SQLite, ...: the message is the whole report."""
