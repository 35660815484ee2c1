"""Build an openai-whisper checkpoint (.pt) from CTranslate2 Whisper weights (model.bin, format v6).

So both backends can run the very same weights. CTranslate2 fuses the self-attention Q, K and V
projections and the cross-attention K and V; openai-whisper keeps them apart and its key projection
has no bias. Needs torch (the openai-whisper extra).
"""

from __future__ import annotations

import base64
import gzip
import re
import struct
from pathlib import Path
from typing import BinaryIO

import numpy as np

from fieldvault import serial
from fieldvault.errors import BadInput

_DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}


def _string(stream: BinaryIO) -> str:
    (length,) = struct.unpack("<H", stream.read(2))
    return stream.read(length)[:-1].decode()


def read_ct2(path: Path) -> dict[str, np.ndarray]:
    """Every variable of a CTranslate2 model.bin (aliases resolved), as numpy arrays."""
    with path.open("rb") as stream:
        (version,) = struct.unpack("<I", stream.read(4))
        if version != 6:
            raise BadInput(f"{path} is CTranslate2 format version {version}; only version 6 can be converted")
        spec = _string(stream)
        if spec != "WhisperSpec":
            raise BadInput(f"{path} holds a {spec}, not a Whisper model")
        stream.read(4)  # revision
        (count,) = struct.unpack("<I", stream.read(4))
        variables: dict[str, np.ndarray] = {}
        for _ in range(count):
            name = _string(stream)
            rank = stream.read(1)[0]
            dims = struct.unpack(f"<{rank}I", stream.read(4 * rank)) if rank else ()
            dtype = _DTYPES[stream.read(1)[0]]
            (size,) = struct.unpack("<I", stream.read(4))
            variables[name] = np.frombuffer(stream.read(size), dtype=dtype).reshape(dims)
        (aliases,) = struct.unpack("<I", stream.read(4))
        for _ in range(aliases):
            alias, target = _string(stream), _string(stream)
            variables[alias] = variables[target]
    return variables


def _attention(src: dict[str, np.ndarray], ct2: str, whisper: str, fused: str) -> dict[str, np.ndarray]:
    """Split CTranslate2's fused projections into openai-whisper's query/key/value/out."""
    out: dict[str, np.ndarray] = {}
    if fused == "qkv":
        weight, bias = src[f"{ct2}/linear_0/weight"], src[f"{ct2}/linear_0/bias"]
        d = weight.shape[1]
        out |= {
            f"{whisper}.query.weight": weight[:d],
            f"{whisper}.query.bias": bias[:d],
            f"{whisper}.key.weight": weight[d : 2 * d],
            f"{whisper}.value.weight": weight[2 * d :],
            f"{whisper}.value.bias": bias[2 * d :],
        }
        out_layer = "linear_1"
    else:  # cross-attention: the query alone, then key and value fused
        out |= {
            f"{whisper}.query.weight": src[f"{ct2}/linear_0/weight"],
            f"{whisper}.query.bias": src[f"{ct2}/linear_0/bias"],
        }
        weight, bias = src[f"{ct2}/linear_1/weight"], src[f"{ct2}/linear_1/bias"]
        d = weight.shape[1]
        out |= {
            f"{whisper}.key.weight": weight[:d],
            f"{whisper}.value.weight": weight[d:],
            f"{whisper}.value.bias": bias[d:],
        }
        out_layer = "linear_2"
    out |= {
        f"{whisper}.out.weight": src[f"{ct2}/{out_layer}/weight"],
        f"{whisper}.out.bias": src[f"{ct2}/{out_layer}/bias"],
    }
    return out


def _norm(src: dict[str, np.ndarray], ct2: str, whisper: str) -> dict[str, np.ndarray]:
    return {f"{whisper}.weight": src[f"{ct2}/gamma"], f"{whisper}.bias": src[f"{ct2}/beta"]}


def _linear(src: dict[str, np.ndarray], ct2: str, whisper: str) -> dict[str, np.ndarray]:
    return {f"{whisper}.weight": src[f"{ct2}/weight"], f"{whisper}.bias": src[f"{ct2}/bias"]}


def _layers(src: dict[str, np.ndarray], side: str) -> int:
    return len({m.group(1) for k in src if (m := re.match(rf"{side}/layer_(\d+)/", k))})


def state_dict(src: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """openai-whisper's state dict and ModelDimensions, from CTranslate2 variables."""
    sd: dict[str, np.ndarray] = {}
    sd |= _linear(src, "encoder/conv1", "encoder.conv1") | _linear(src, "encoder/conv2", "encoder.conv2")
    sd["encoder.positional_embedding"] = src["encoder/position_encodings/encodings"]
    for i in range(_layers(src, "encoder")):
        ct2, wh = f"encoder/layer_{i}", f"encoder.blocks.{i}"
        sd |= _attention(src, f"{ct2}/self_attention", f"{wh}.attn", "qkv")
        sd |= _norm(src, f"{ct2}/self_attention/layer_norm", f"{wh}.attn_ln")
        sd |= _norm(src, f"{ct2}/ffn/layer_norm", f"{wh}.mlp_ln")
        sd |= _linear(src, f"{ct2}/ffn/linear_0", f"{wh}.mlp.0") | _linear(src, f"{ct2}/ffn/linear_1", f"{wh}.mlp.2")
    sd |= _norm(src, "encoder/layer_norm", "encoder.ln_post")
    sd["decoder.token_embedding.weight"] = src["decoder/embeddings/weight"]
    sd["decoder.positional_embedding"] = src["decoder/position_encodings/encodings"]
    for i in range(_layers(src, "decoder")):
        ct2, wh = f"decoder/layer_{i}", f"decoder.blocks.{i}"
        sd |= _attention(src, f"{ct2}/self_attention", f"{wh}.attn", "qkv")
        sd |= _norm(src, f"{ct2}/self_attention/layer_norm", f"{wh}.attn_ln")
        sd |= _attention(src, f"{ct2}/attention", f"{wh}.cross_attn", "kv")
        sd |= _norm(src, f"{ct2}/attention/layer_norm", f"{wh}.cross_attn_ln")
        sd |= _norm(src, f"{ct2}/ffn/layer_norm", f"{wh}.mlp_ln")
        sd |= _linear(src, f"{ct2}/ffn/linear_0", f"{wh}.mlp.0") | _linear(src, f"{ct2}/ffn/linear_1", f"{wh}.mlp.2")
    sd |= _norm(src, "decoder/layer_norm", "decoder.ln")
    dims = {
        "n_mels": int(src["encoder/conv1/weight"].shape[1]),
        "n_audio_ctx": int(src["encoder/position_encodings/encodings"].shape[0]),
        "n_audio_state": int(src["encoder/conv1/weight"].shape[0]),
        "n_audio_head": int(src["encoder/num_heads"]),
        "n_audio_layer": _layers(src, "encoder"),
        "n_vocab": int(src["decoder/embeddings/weight"].shape[0]),
        "n_text_ctx": int(src["decoder/position_encodings/encodings"].shape[0]),
        "n_text_state": int(src["decoder/embeddings/weight"].shape[1]),
        "n_text_head": int(src["decoder/num_heads"]),
        "n_text_layer": _layers(src, "decoder"),
    }
    return sd, dims


def alignment_heads(config_path: Path, dims: dict[str, int]) -> str:
    """The cross-attention heads used for word timestamps, in openai-whisper's encoding, from the model
    folder's config.json; a one-line BadInput when that file is not what a CTranslate2 Whisper folder holds."""
    mask = np.zeros((dims["n_text_layer"], dims["n_text_head"]), dtype=bool)
    try:
        config = serial.parse(config_path.read_bytes())
        for layer, head in config.get("alignment_heads", []):
            if not (isinstance(layer, int) and isinstance(head, int) and layer >= 0 and head >= 0):
                raise IndexError
            mask[layer, head] = True
    except (ValueError, TypeError, IndexError, AttributeError):
        raise BadInput(
            f"{config_path} is damaged (its alignment_heads are not pairs of layer and head numbers in this "
            "model); copy the model folder again from a trusted source"
        ) from None
    return base64.b85encode(gzip.compress(mask.tobytes())).decode()


def convert(model_dir: Path, out: Path) -> None:
    """Write ``out`` (.pt) from the CTranslate2 folder ``model_dir``; openai-whisper loads it as is."""
    import torch

    sd, dims = state_dict(read_ct2(model_dir / "model.bin"))
    checkpoint = {
        "dims": dims,
        "model_state_dict": {k: torch.from_numpy(np.array(v)) for k, v in sd.items()},
        "alignment_heads": alignment_heads(model_dir / "config.json", dims),
    }
    torch.save(checkpoint, out)
