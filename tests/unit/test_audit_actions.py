"""`audit --verify` names an entry whose action fieldvault never writes (QA R24: a line anyone can append); the list
of actions it knows (audit.ACTIONS) must hold every action the code writes, or it would call a real entry forged."""

from __future__ import annotations

import ast
import importlib

from fieldvault.audit import ACTIONS
from tests.conftest import ROOT

# Where the code lives, and the module each folder is imported as.
PACKAGES = {
    "fieldvault": "fieldvault",
    "capture": "fieldvault.capture",
    "tui": "fieldvault.tui",
    "transcribe": "fieldvault.transcribe",
}
# Call sites whose action is a variable of the function: where its values come from, checked below.
PASSED_ON = {
    "fieldvault/kitmerge.py": "_append_once",  # each caller passes a literal: scanned as the third argument
    "fieldvault/study.py": "keys.remove-recipient",  # ... if lost else "keys.remove-recipient.replayed"
    "fieldvault/stewardship/backup.py": "UNCHAINED_BACKUP_ENTRY if ... else BACKUP_ENTRY",
}


def _written() -> dict[str, str]:
    """action -> where the code writes it, read from every `.audit.append(ACTION, ...)` and `_append_once`."""
    found: dict[str, str] = {}
    for folder, package in PACKAGES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            if folder == "fieldvault" and path.relative_to(ROOT / folder).parts[0] in ("capture", "tui", "transcribe"):
                continue  # links to the top-level folders
            if path.name == "__main__.py":
                continue  # importing it runs the CLI
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            module = importlib.import_module(".".join((package, *parts)).removesuffix(".__init__"))
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute | ast.Name):
                    continue
                name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
                if name == "append" and "audit" in ast.unparse(getattr(node.func, "value", node.func)) and node.args:
                    action = node.args[0]
                elif name == "_append_once" and len(node.args) >= 3:
                    action = node.args[2]
                else:
                    continue
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                for each in [action.body, action.orelse] if isinstance(action, ast.IfExp) else [action]:
                    if isinstance(each, ast.Constant) and isinstance(each.value, str):
                        found[each.value] = where
                    elif isinstance(each, ast.Name) and isinstance(getattr(module, each.id, None), str):
                        found[getattr(module, each.id)] = where
                    elif isinstance(each, ast.Attribute) and isinstance(each.value, ast.Name):  # journal.ADDED
                        named = getattr(getattr(module, each.value.id, None), each.attr, None)
                        assert isinstance(named, str), f"{where}: an action this test cannot read"
                        found[named] = where
                    else:
                        assert str(path.relative_to(ROOT)) in PASSED_ON, f"{where}: an action this test cannot read"
    return found


def test_every_action_the_code_writes_is_one_audit_knows() -> None:
    written = _written()
    assert len(written) > 40  # the scan found the code's appends
    assert {action: where for action, where in written.items() if action not in ACTIONS} == {}
    assert {
        "keys.remove-recipient",
        "keys.remove-recipient.replayed",
        "backup.entry",
        "backup.entry-unchained",
    } <= ACTIONS
