"""Problems the user can fix, shown as notifications: fieldvault's own errors and fixable OS errors."""

from __future__ import annotations

from fieldvault.errors import FieldvaultError, describe_os_error

USER_ERRORS = (FieldvaultError, OSError)


def user_message(err: BaseException) -> str:
    if isinstance(err, OSError):
        return describe_os_error(err) or f"unexpected system error: {err.strerror or err}"
    return str(err)
