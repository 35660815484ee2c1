"""Data stewardship for the PI and the IRB: withdrawal, retention, removing a recipient, integrity checks,
verified backups and the data-management report.

Nothing here writes plaintext; what it destroys it destroys by overwriting the age header (which alone
holds the wrapped file key) before unlinking, and every change is audited without identifiers.
"""
