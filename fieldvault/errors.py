"""The one exception family fieldvault raises for problems a user can fix.

Each message says what is wrong and what to do next; the CLI prints it as one line,
the TUI shows it as a notification. Any other exception is a bug.
"""

from __future__ import annotations


class FieldvaultError(Exception):
    """A problem the user can act on. str(error) is the whole one-line message."""


# --- age files ---------------------------------------------------------------


class AgeError(FieldvaultError):
    """Something is wrong with an age-encrypted file."""


class NotAnAgeFile(AgeError):
    pass


class MalformedHeader(AgeError):
    pass


class WrongPassphrase(AgeError):
    pass


class NoIdentityMatched(AgeError):
    pass


class HeaderTampered(AgeError):
    pass


class PayloadTampered(AgeError):
    pass


class TruncatedFile(AgeError):
    pass


class BadKey(FieldvaultError):
    """An identity or recipient string that is not in age's text form."""


# --- the study folder --------------------------------------------------------


class NotAStudy(FieldvaultError):
    pass


class StudyExists(FieldvaultError):
    pass


class BadStudyFile(FieldvaultError):
    pass


class LockedStudy(FieldvaultError):
    """The operation needs a private key and this copy has none (a field kit)."""


class AuditBroken(FieldvaultError):
    pass


class BadInput(FieldvaultError):
    """A value given by the user is not acceptable."""
