"""`python -m fieldvault`: the command line. Ctrl-C while fieldvault.cli itself is found and loaded, before its
``main`` catches it, ends in the same line and status (qa25 QA16)."""

import sys

try:
    from fieldvault.cli import main

    status = main()
except KeyboardInterrupt:
    print("fieldvault: interrupted; nothing already stored was changed", file=sys.stderr)  # fieldvault.cli's line
    status = 130
raise SystemExit(status)
