"""Errors shared across the package."""


class UserError(Exception):
    """An error the user can fix (bad path, bad manifest...): printed as one line, exit code 2."""
