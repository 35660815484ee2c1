"""The Textual terminal UI. The only part of fieldvault that imports textual or rich."""
