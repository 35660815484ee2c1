"""Recording and import: microphone -> callback -> queue -> encrypting writer, and recorder files.

Never writes plaintext audio to disk. Imports only the core, never transcription or the TUI.
"""
