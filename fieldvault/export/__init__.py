"""De-identified exports for coding tools. The only place plaintext transcript text leaves the vault:
every export is explicit, redacted, checked for known identifiers, and audited."""
