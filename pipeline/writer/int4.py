"""4-bit weights for the decoding steps on the CPU.

Generating one token reads every weight of the model once, so on a CPU a decoding step costs what
memory bandwidth allows: about 0.27 s for the 3 GB of bf16 weights of the default model on two
cores. The default model was published as Q4_K_M (4-bit groups), so 4 bits lose little that its
publisher had not already given up: each linear layer of the transformer blocks gets a copy in
asymmetric 4-bit groups of 32 (a scale and an offset per group), used when a matrix product has
only a few rows (decoding). Prompts (prefill, one row per token) keep the bf16 weights, for which
the 4-bit kernel is slower. The output head (151,936 words x 1,536: a seventh of the weights, a
third of a 4-bit step's reading) gets an 8-bit copy, one scale per word, used for at most four rows
(``HEAD_ROWS``): 16 ms a step for one row against 38 ms in bf16. It pays most where few prompts
decode together (one article's retries, the last rows of a batch); measured in the README
(bench_seed, eval mt).

The copy is built once per model and torch version (about 30 s) and kept beside the weights
(``decode-int4-g32-head8.safetensors``, 1.05 GB); ``newsbrief model pull`` builds it.

Imported only when a model loads: torch is the writer extra.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

LOG = logging.getLogger("newsbrief")

GROUP = 32
# Matrix products with at most this many rows use the 4-bit copy: decoding has one row per prompt
# of the batch (8 by default); prefill has one per prompt token. torch's 4-bit kernel is 3.9x as
# fast as bf16 for one row, 2.1x for four, 1.3x for eight, and slower from about twelve
# (8960x1536, two cores).
DECODE_ROWS = 8
# The output head's 8-bit copy for at most this many rows: torch's 8-bit kernel is 2.4x as fast as
# bf16 for one row, 1.5x for four, as fast for six and slower for eight.
HEAD_ROWS = 4
FORMAT = "newsbrief-int4-v3"


def available() -> bool:
    """Whether this torch has the CPU 4-bit kernel (a private op of torch 2.x)."""
    return all(hasattr(torch, op) for op in ("_weight_int4pack_mm_for_cpu", "_convert_weight_to_int4pack_for_cpu",
                                             "_weight_int8pack_mm"))


def quantise(weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(packed, scales_and_offsets): weight [N, K] in asymmetric 4-bit groups of GROUP along K, in
    the layouts torch's CPU kernel reads: packed uint8 [N, K/2] (its own order) and bf16
    [K/GROUP, N, 2] with w = (q - 8) * scale + offset."""
    rows, cols = weight.shape
    groups = weight.float().reshape(rows, cols // GROUP, GROUP)
    low, high = groups.amin(-1), groups.amax(-1)
    scale = ((high - low) / 15).clamp(min=1e-10)
    q = torch.round((groups - low[..., None]) / scale[..., None]).clamp(0, 15).to(torch.int32).reshape(rows, cols)
    offsets = low + 8 * scale
    packed = torch._convert_weight_to_int4pack_for_cpu(q, 1)
    return packed, torch.stack([scale.t(), offsets.t()], -1).to(torch.bfloat16).contiguous()


def quantise_rows(weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(int8 [N, K], bf16 scales [N]): weight [N, K] in symmetric 8 bits, one scale per row (per word
    of the output head), w = q * scale; in slices, to keep the float copy small."""
    scales = (weight.abs().amax(1).float() / 127).clamp(min=1e-10)
    quantised = torch.empty(weight.shape, dtype=torch.int8)
    for start in range(0, weight.shape[0], 8192):
        part = weight[start:start + 8192].float() / scales[start:start + 8192, None]
        quantised[start:start + 8192] = torch.round(part).clamp(-127, 127).to(torch.int8)
    return quantised, scales.to(torch.bfloat16)


def _head(model):
    head = model.get_output_embeddings() if hasattr(model, "get_output_embeddings") else None
    return head if isinstance(head, torch.nn.Linear) else None


def _linear_layers(model) -> dict:
    body = model.get_decoder() if hasattr(model, "get_decoder") else model
    return {name: module for name, module in body.named_modules()
            if isinstance(module, torch.nn.Linear) and module.in_features % GROUP == 0}


def build(model, target: Path, checksum: str) -> Path:
    """Quantise the model's block layers and write them to `target` (atomically; `models` names the
    file, ``INT4_FILE`` beside the weights)."""
    tensors = {}
    for name, layer in _linear_layers(model).items():
        tensors[f"{name}.packed"], tensors[f"{name}.scales"] = quantise(layer.weight.detach())
    if (head := _head(model)) is not None:
        tensors["head.int8"], tensors["head.scales"] = quantise_rows(head.weight.detach())
    partial = target.with_name(target.name + ".partial")
    save_file(tensors, str(partial), metadata=_metadata(checksum))
    os.replace(partial, target)
    return target


def matches(path: Path, checksum: str) -> bool:
    """Whether `path` is a 4-bit copy of this format for the model `checksum` (its header says so)."""
    try:
        with path.open("rb") as handle:
            size = int.from_bytes(handle.read(8), "little")
            meta = json.loads(handle.read(min(size, 1 << 24))).get("__metadata__", {})
    except (OSError, ValueError):
        return False
    return meta == _metadata(checksum)


def _metadata(checksum: str) -> dict[str, str]:
    # The packed order is torch's own: a copy is only read by the torch that wrote it.
    return {"format": FORMAT, "group": str(GROUP), "model": checksum, "torch": torch.__version__}


def apply(model, path: Path, checksum: str) -> int:
    """Give the model's block layers their 4-bit copy from `path`, and its output head its 8-bit one;
    the number of block layers changed.
    Nothing changes (0) when the file is absent, of another model or format, or this torch lacks
    the kernel: generation then runs on the bf16 weights alone, only slower."""
    if not path.is_file() or not available():
        return 0
    if not matches(path, checksum):
        LOG.warning("%s is damaged or for another model or torch; decoding uses the bf16 weights "
                    "(`newsbrief model pull` rebuilds it)", path)
        return 0
    try:
        tensors = load_file(str(path))
    except (OSError, ValueError, RuntimeError) as exc:
        LOG.warning("%s is unreadable (%s); decoding uses the bf16 weights", path, exc)
        return 0
    layers = _linear_layers(model)
    if any(f"{name}.packed" not in tensors for name in layers):
        LOG.warning("%s lacks layers of this model; decoding uses the bf16 weights", path)
        return 0
    for name, layer in layers.items():
        layer.__class__ = DecodeInt4Linear  # still an nn.Linear with its weight: prefill and state dicts
        layer.int4_packed, layer.int4_scales = tensors[f"{name}.packed"], tensors[f"{name}.scales"]
    if (head := _head(model)) is not None and "head.int8" in tensors:
        head.__class__ = DecodeInt8Head
        head.int8_weight, head.int8_scales = tensors["head.int8"], tensors["head.scales"]
    return len(layers)


class DecodeInt4Linear(torch.nn.Linear):
    """An nn.Linear that multiplies few-row inputs by its 4-bit copy, the rest by its weight."""

    int4_packed: torch.Tensor
    int4_scales: torch.Tensor

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = x.reshape(-1, self.in_features)
        if rows.shape[0] > DECODE_ROWS or x.dtype != torch.bfloat16:
            return super().forward(x)
        out = torch._weight_int4pack_mm_for_cpu(rows.contiguous(), self.int4_packed, GROUP, self.int4_scales)
        out = out.reshape(*x.shape[:-1], self.out_features)
        return out if self.bias is None else out + self.bias


class DecodeInt8Head(torch.nn.Linear):
    """The output head: few-row inputs by its 8-bit copy, the rest by its weight."""

    int8_weight: torch.Tensor
    int8_scales: torch.Tensor

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = x.reshape(-1, self.in_features)
        if rows.shape[0] > HEAD_ROWS or x.dtype != torch.bfloat16 or self.bias is not None:
            return super().forward(x)
        out = torch._weight_int8pack_mm(rows.contiguous(), self.int8_weight, self.int8_scales)
        return out.reshape(*x.shape[:-1], self.out_features)
