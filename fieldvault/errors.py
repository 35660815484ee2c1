"""The one exception family fieldvault raises for problems a user can fix.

Each message says what is wrong and what to do next; the CLI prints it as one line,
the TUI shows it as a notification. Any other exception is a bug.
"""

from __future__ import annotations

import errno


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


class BadArmor(AgeError):
    """An ASCII-armored age file that is not strict armor."""


class BadKey(FieldvaultError):
    """An identity or recipient string that is not in age's text form."""


# --- the study folder --------------------------------------------------------


class NotAStudy(FieldvaultError):
    pass


class StudyExists(FieldvaultError):
    pass


class BadStudyFile(FieldvaultError):
    pass


class TamperedStudy(FieldvaultError):
    """Something only the study identity may change (the recipient list) was changed without it."""


class LockedStudy(FieldvaultError):
    """The operation needs a private key and this copy has none (a field kit)."""


class AuditBroken(FieldvaultError):
    pass


class BadInput(FieldvaultError):
    """A value given by the user is not acceptable."""


class ListedPseudonym(BadInput):
    """A new pseudonym that is a name on a list of names people may mention, or retired: she chooses another (the TUI's
    wizard asks for it where it was refused, keeping the consent record and her answers)."""


class RefusedSubstitute(BadInput):
    """A stored substitute name that may not go out (like a listed name, or a participant's pseudonym): the reviewer
    gives that person another; a withdrawal keeping her de-identified transcripts says this, not "nothing reviewed"."""


class TranscriptChanged(BadInput):
    """An editor's save found the stored transcript changed since it was opened there, in the very places the
    editor changed too: nothing was saved, and the person chooses which side goes on top (both are kept)."""


class UnfinishedMove(FieldvaultError):
    """A session move committed, but putting its re-sealed records in place failed; the next unlock finishes it."""


# --- operating-system errors a user can fix -------------------------------------------------

OS_FIXES = {
    errno.ENOSPC: "the disk is full; free some space and try again",
    errno.EDQUOT: "the disk quota is used up; free some space and try again",
    errno.EFBIG: "the file grew past the size this system allows; free space or raise the limit",
    errno.EACCES: "permission denied; choose a folder you can write to, or fix its permissions",
    errno.EPERM: "operation not permitted; choose a folder you can write to, or fix its permissions",
    errno.EROFS: "the file system is read-only; choose a writable folder",
    errno.ENOENT: "no such file or folder; check the path",
    errno.ENOTDIR: "a part of the path is not a folder; check the path",
}


def describe_os_error(err: OSError) -> str | None:
    """A one-line message for an OSError the user can fix, or None for one that is a bug."""
    fix = OS_FIXES.get(err.errno or 0)
    if fix is None:
        return None
    where = f" {err.filename}" if err.filename else ""
    return f"cannot write or read{where}: {fix}"
