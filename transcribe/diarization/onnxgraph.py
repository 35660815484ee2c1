"""Building an ONNX graph from a state dict read without torch: names, constants and nodes (CAM++ and
segmentation-3.0 each add the layers they need), and the one way diarization runs such a graph."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import onnx
import onnxruntime
from onnx import helper, numpy_helper


class Graph:
    def __init__(self, state: dict[str, np.ndarray]) -> None:
        self.state = state
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._names: Iterator[int] = iter(range(1 << 30))

    def name(self, hint: str) -> str:
        return f"{hint}_{next(self._names)}"

    def const(self, value: np.ndarray, hint: str = "c") -> str:
        name = self.name(hint)
        self.initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(self, op_type: str, *inputs: str, **attrs: Any) -> str:
        out = self.name(op_type.lower())
        self.nodes.append(helper.make_node(op_type, list(inputs), [out], **attrs))
        return out


def session(model: onnx.ModelProto) -> onnxruntime.InferenceSession:
    """An onnxruntime session on one thread that keeps no memory between runs.

    One thread: diarization runs beside transcription (pipeline.py), whose decoder has the cores. On
    bench/transcribe.py's 10 min (2 cores, shared), onnxruntime's default of one thread per core made
    transcription + diarization 45.9 s against 39.3 s with one thread (transcription alone: 40.9 s).
    No memory pattern, no arena: the speaker embeddings run on batches of as many lengths as there are short
    regions of speech, and onnxruntime keeps a memory pattern per input shape (CAM++ on 36 shapes: the process at
    434 MB with patterns and no arena, 214 MB with both, 194-226 MB without patterns); the arena keeps the largest
    batch's buffers for the rest of the recording (segmentation-3.0 after 8 batches: +109 MB with it, +53 MB
    without), beside the decoder's. CPU time the same within 5 %."""
    onnxruntime.disable_telemetry_events()
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # a shared machine: no busy waits
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.enable_mem_pattern = False
    options.enable_cpu_mem_arena = False
    return onnxruntime.InferenceSession(
        model.SerializeToString(), sess_options=options, providers=["CPUExecutionProvider"]
    )
