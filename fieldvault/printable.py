"""Text read from a study's files (an audit entry, a file name, a kit's log), shown on a terminal.

Every character that is not printable (ESC and the other controls, a line break, a direction mark) is written as its
escape (`\\x1b`, `\\n`, `\\u202e`): a line anyone can append to a log, or a file name anyone can give, cannot clear
the screen, move the cursor, colour the text or print fake lines where it is shown (QA R24).
"""

from __future__ import annotations


def printable(text: object) -> str:
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in str(text))
