"""Problems the user can fix, shown as notifications: fieldvault's own errors and fixable OS errors.

Messages are escaped for Rich markup, so a path or a setting such as "[letter]" is shown as written."""

from __future__ import annotations

from rich.markup import escape

from fieldvault.errors import FieldvaultError, describe_os_error

USER_ERRORS = (FieldvaultError, OSError)


def user_message(err: BaseException) -> str:
    if isinstance(err, OSError):
        return escape(describe_os_error(err) or f"unexpected system error: {err.strerror or err}")
    return escape(str(err))
