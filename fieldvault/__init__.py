"""fieldvault: secure, offline interview recording, transcription and de-identification."""

__version__ = "0.1.0"
