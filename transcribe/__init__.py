"""Local transcription with Whisper: one backend protocol, two real backends, offline model resolution.

Audio arrives as a numpy array decrypted in memory; nothing is ever downloaded. Imports only the core.
"""
