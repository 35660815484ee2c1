"""The fields of an audit entry's details that a test is about. A test that compared the whole dict broke each time
an entry gained a field (order17); compare ``fields`` instead. A field the test names and the entry lacks is left out
of the result, so the comparison still fails; a wrong value still fails."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fieldvault.study import Study


def fields(details: Mapping[str, Any], *names: str) -> dict[str, Any]:
    return {name: details[name] for name in names if name in details}


def logged(study: Study, action: str, *names: str) -> list[dict[str, Any]]:
    """``fields`` of the details of each entry of ``action`` in the study's log, oldest first."""
    return [fields(e["details"], *names) for e in study.audit.entries() if e["action"] == action]
