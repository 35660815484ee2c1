"""fieldvault: secure, offline interview recording, transcription and de-identification."""

import os

# onnxruntime (the NER model, and faster-whisper's voice activity model) reads this once, when it is first
# imported, and otherwise sends telemetry and writes a device id under ~/.cache/Microsoft. fieldvault
# promises no network, ever, so it is set here, before any module of this package can import onnxruntime.
os.environ["ORT_DISABLE_TELEMETRY"] = "1"

__version__ = "0.1.0"
