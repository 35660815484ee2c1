"""CAM++ (3D-Speaker's speaker-embedding network) as an ONNX graph, built in memory from its state dict.

The graph follows 3D-Speaker's `CAMPPlus` definition (feature head of 2-D residual blocks, a TDNN, three
densely connected blocks of context-aware masking layers, statistics pooling, a 192-d embedding) and
is run by onnxruntime: no torch. Batch norms that follow a convolution are folded into it here.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper

from fieldvault.transcribe.diarization.onnxgraph import Graph

EMBEDDING_SIZE = 192
FEATURE_BINS = 80
_EPS = 1e-5  # torch's BatchNorm default
_SEGMENT = 100  # frames over which a CAM layer pools its local context
_BLOCKS = ((12, 1), (24, 2), (16, 2))  # (layers, dilation) of the three dense blocks
_GROWTH = 32
OPSET = 17


def _bn_scale_shift(state: dict[str, np.ndarray], prefix: str) -> tuple[np.ndarray, np.ndarray]:
    scale = 1.0 / np.sqrt(state[f"{prefix}.running_var"] + _EPS)
    shift = -state[f"{prefix}.running_mean"] * scale
    if f"{prefix}.weight" in state:  # affine
        scale, shift = scale * state[f"{prefix}.weight"], shift * state[f"{prefix}.weight"] + state[f"{prefix}.bias"]
    return scale.astype(np.float32), shift.astype(np.float32)


class _Graph(Graph):
    def conv(self, x: str, weight: np.ndarray, bias: np.ndarray | None, **attrs: object) -> str:
        inputs = [x, self.const(weight.astype(np.float32), "w")]
        if bias is not None:
            inputs.append(self.const(bias.astype(np.float32), "b"))
        return self.op("Conv", *inputs, **attrs)

    def conv_bn(self, x: str, conv: str, bn: str, **attrs: object) -> str:
        """A bias-free convolution followed by a batch norm, as one convolution."""
        scale, shift = _bn_scale_shift(self.state, bn)
        weight = self.state[f"{conv}.weight"]
        return self.conv(x, weight * scale.reshape(-1, *([1] * (weight.ndim - 1))), shift, **attrs)

    def bn_relu(self, x: str, bn: str, dims: int) -> str:
        """A batch norm that follows a concatenation (so cannot be folded), then ReLU."""
        scale, shift = _bn_scale_shift(self.state, bn)
        shape = (-1, *([1] * dims))
        return self.op(
            "Relu",
            self.op("Add", self.op("Mul", x, self.const(scale.reshape(shape))), self.const(shift.reshape(shape))),
        )


def _residual_block(g: _Graph, x: str, prefix: str, stride: int) -> str:
    out = g.op(
        "Relu",
        g.conv_bn(x, f"{prefix}.conv1", f"{prefix}.bn1", kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[stride, 1]),
    )
    out = g.conv_bn(out, f"{prefix}.conv2", f"{prefix}.bn2", kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    if f"{prefix}.shortcut.0.weight" in g.state:
        x = g.conv_bn(x, f"{prefix}.shortcut.0", f"{prefix}.shortcut.1", kernel_shape=[1, 1], strides=[stride, 1])
    return g.op("Relu", g.op("Add", out, x))


def _head(g: _Graph, feats: str) -> str:
    """(batch, frames, 80) fbank -> (batch, 320, frames): 2-D convolutions over frequency and time."""
    x = g.op("Unsqueeze", g.op("Transpose", feats, perm=[0, 2, 1]), g.const(np.array([1], np.int64)))
    x = g.op("Relu", g.conv_bn(x, "head.conv1", "head.bn1", kernel_shape=[3, 3], pads=[1, 1, 1, 1]))
    for layer in (1, 2):
        x = _residual_block(g, x, f"head.layer{layer}.0", 2)
        x = _residual_block(g, x, f"head.layer{layer}.1", 1)
    x = g.op("Relu", g.conv_bn(x, "head.conv2", "head.bn2", kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 1]))
    return g.op("Reshape", x, g.const(np.array([0, 32 * FEATURE_BINS // 8, -1], np.int64)))


def _segment_context(g: _Graph, x: str) -> str:
    """(batch, channels, segments): the mean of the whole input plus the mean of each 100-frame segment."""
    whole = g.op("ReduceMean", x, axes=[2], keepdims=1)
    return g.op("Add", whole, g.op("AveragePool", x, kernel_shape=[_SEGMENT], strides=[_SEGMENT], ceil_mode=1))


def _spread(g: _Graph, per_segment: str, like: str) -> str:
    """Each segment's values repeated for each of its frames, as many frames as ``like`` has."""
    frames = g.op("Shape", like, start=2, end=3)
    spread = g.op("Unsqueeze", per_segment, g.const(np.array([3], np.int64)))
    target = g.op("Concat", g.op("Shape", per_segment), g.const(np.array([_SEGMENT], np.int64)), axis=0)
    spread = g.op("Reshape", g.op("Expand", spread, target), g.const(np.array([0, 0, -1], np.int64)))
    return g.op("Slice", spread, g.const(np.array([0], np.int64)), frames, g.const(np.array([2], np.int64)))


def _cam_layer(g: _Graph, x: str, prefix: str, dilation: int) -> str:
    x = g.op(
        "Relu",
        g.conv_bn(
            g.bn_relu(x, f"{prefix}.nonlinear1.batchnorm", 1),
            f"{prefix}.linear1",
            f"{prefix}.nonlinear2.batchnorm",
            kernel_shape=[1],
        ),
    )
    cam = f"{prefix}.cam_layer"
    local = g.conv(
        x,
        g.state[f"{cam}.linear_local.weight"],
        None,
        kernel_shape=[3],
        pads=[dilation, dilation],
        dilations=[dilation],
    )
    context = _segment_context(g, x)
    context = g.op(
        "Relu", g.conv(context, g.state[f"{cam}.linear1.weight"], g.state[f"{cam}.linear1.bias"], kernel_shape=[1])
    )
    mask = g.op(
        "Sigmoid", g.conv(context, g.state[f"{cam}.linear2.weight"], g.state[f"{cam}.linear2.bias"], kernel_shape=[1])
    )
    # The mask is the same for every frame of a segment, so it is computed once per segment (a 1 s
    # window is one segment) and only then spread over the frames: the same numbers, 4 % of the work.
    return g.op("Mul", local, _spread(g, mask, local))


def _xvector(g: _Graph, x: str) -> str:
    x = g.op(
        "Relu",
        g.conv_bn(
            x, "xvector.tdnn.linear", "xvector.tdnn.nonlinear.batchnorm", kernel_shape=[5], pads=[2, 2], strides=[2]
        ),
    )
    for block, (layers, dilation) in enumerate(_BLOCKS, start=1):
        for layer in range(1, layers + 1):
            x = g.op("Concat", x, _cam_layer(g, x, f"xvector.block{block}.tdnnd{layer}", dilation), axis=1)
        transit = f"xvector.transit{block}"
        x = g.conv(
            g.bn_relu(x, f"{transit}.nonlinear.batchnorm", 1),
            g.state[f"{transit}.linear.weight"],
            None,
            kernel_shape=[1],
        )
    x = g.bn_relu(x, "xvector.out_nonlinear.batchnorm", 1)
    return _stats_and_embedding(g, x)


def _stats_and_embedding(g: _Graph, x: str) -> str:
    """Mean and (unbiased) standard deviation over time, then the affine-free batch-normed projection."""
    mean = g.op("ReduceMean", x, axes=[2], keepdims=1)
    frames = g.op("Cast", g.op("Shape", x, start=2, end=3), to=TensorProto.FLOAT)
    squares = g.op("ReduceSumSquare", g.op("Sub", x, mean), axes=[2], keepdims=0)
    std = g.op("Sqrt", g.op("Div", squares, g.op("Sub", frames, g.const(np.array([1.0], np.float32)))))
    stats = g.op("Concat", g.op("Squeeze", mean, g.const(np.array([2], np.int64))), std, axis=1)
    scale, shift = _bn_scale_shift(g.state, "xvector.dense.nonlinear.batchnorm")
    weight = g.state["xvector.dense.linear.weight"][:, :, 0] * scale[:, None]
    return g.op("Gemm", stats, g.const(weight.astype(np.float32)), g.const(shift), transB=1)


def build(state: dict[str, np.ndarray]) -> onnx.ModelProto:
    """The ONNX model: input "feats" (batch, frames, 80) float32, output "embedding" (batch, 192)."""
    g = _Graph(state)
    out = _xvector(g, _head(g, "feats"))
    g.nodes.append(helper.make_node("Identity", [out], ["embedding"]))
    graph = helper.make_graph(
        g.nodes,
        "campplus",
        [helper.make_tensor_value_info("feats", TensorProto.FLOAT, ["batch", "frames", FEATURE_BINS])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", EMBEDDING_SIZE])],
        g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="fieldvault")
    model.ir_version = 8
    return model
