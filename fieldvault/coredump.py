"""No core dump of a process that holds her words (QA Q3). A crash in native code (CTranslate2, onnxruntime,
PortAudio) would write the process's memory to disk: decrypted transcript text, timeline notes, audio, the study
key; a `core` file in the working folder, or a report Ubuntu's apport or systemd-coredump keeps for days.

At the start of every command: the soft core-size limit goes to 0 (the kernel then writes no core file), and on
Linux the process is made non-dumpable (no core through a pipe handler unless the machine's fs.suid_dumpable is
2, and no other process of the same user may attach to it and read the key)."""

from __future__ import annotations

import ctypes
import resource
import sys

PR_SET_DUMPABLE = 4  # <linux/prctl.h>


def forbid() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (0, hard))
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
