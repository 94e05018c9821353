"""Greedy decoding of a batch of prompts on the CPU, with less work than transformers' `generate`.

Both savings leave greedy decoding's answer unchanged (up to float rounding):

- **No padding read.** A batch left-pads every prompt to its longest, and reading a prompt
  (prefill) costs per token, padding included: the seed's six sentence prompts of 21 to 106 tokens
  of their own were read as 6 x 106. Prompts are read in groups of similar length
  (``prefill_groups``), and their keys and values laid side by side, left padded, for decoding.
- **Finished rows leave.** A decoding step costs more the more rows it has (torch's 4-bit kernel,
  two cores: 0.12 s for one row, 0.25 s for six), and `generate` keeps every row until the longest
  is done. Here a row that has ended (end token or its budget) leaves the batch and its cache.

Imported only when a model runs: torch is the writer extra.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence

import torch

# A group of prompts is read together while padding it to its longest adds at most this share of
# its own tokens (a group saves the fixed cost of one forward pass per prompt).
PAD_SLACK = 0.25


def prefill_groups(lengths: Sequence[int], slack: float = PAD_SLACK) -> list[list[int]]:
    """Indices of the prompts, longest first, in groups whose padding adds at most `slack` of their tokens."""
    groups: list[list[int]] = []
    for index in sorted(range(len(lengths)), key=lambda i: -lengths[i]):
        if groups:
            group = groups[-1]
            longest = lengths[group[0]]
            if longest * (len(group) + 1) <= (1 + slack) * (sum(lengths[i] for i in group) + lengths[index]):
                group.append(index)
                continue
        groups.append([index])
    return groups


def greedy(model, prompts: Sequence[Sequence[int]], max_new_tokens: int | Sequence[int], *, eos: int, pad: int,
           prefix: Sequence[int] = (), prefix_state=None, banned: torch.Tensor | None = None) -> list[list[int]]:
    """The greedy continuation (without the end token) of each prompt: `prefix` + its own tokens.

    `prefix_state` is the cache of `prefix` alone (computed by the caller, kept across calls); it is
    copied, never extended. `banned` (a mask over the vocabulary) marks tokens never chosen.
    `max_new_tokens` is one budget for all rows or one for each."""
    from transformers import DynamicCache

    rows, shared = len(prompts), len(prefix)
    width = max(len(p) for p in prompts)
    mask = torch.zeros(rows, shared + width, dtype=torch.long)
    mask[:, :shared] = 1
    following = torch.empty(rows, dtype=torch.long)
    layers: list[tuple[torch.Tensor, torch.Tensor]] = []
    for group in prefill_groups([len(p) for p in prompts]):
        state = _prefix_copy(prefix_state, len(group)) if shared else DynamicCache(config=model.config)
        own = max(len(prompts[i]) for i in group)
        ids = torch.full((len(group), own), pad, dtype=torch.long)
        own_mask = torch.zeros(len(group), own, dtype=torch.long)
        for row, i in enumerate(group):
            ids[row, own - len(prompts[i]):], own_mask[row, own - len(prompts[i]):] = torch.tensor(prompts[i]), 1
        positions = shared + (own_mask.cumsum(-1) - 1).clamp(min=0)
        with torch.inference_mode():
            out = model(input_ids=ids, attention_mask=torch.cat([mask[group, :shared], own_mask], 1),
                        position_ids=positions, cache=state, use_cache=True, logits_to_keep=1)
        following[group] = _best(out.logits[:, -1], banned)
        mask[group, shared + width - own:] = own_mask
        for number, layer in enumerate(state.layers):  # into the batch's cache, right-aligned
            if len(layers) <= number:
                shape = (rows, *layer.keys.shape[1:2], shared + width, layer.keys.shape[-1])
                layers.append((layer.keys.new_zeros(shape), layer.values.new_zeros(shape)))
            keys, values = layers[number]
            keys[group, :, :shared], values[group, :, :shared] = layer.keys[:, :, :shared], layer.values[:, :, :shared]
            keys[group, :, shared + width - own:] = layer.keys[:, :, shared:]
            values[group, :, shared + width - own:] = layer.values[:, :, shared:]
    cache = DynamicCache(config=model.config)
    for number, (keys, values) in enumerate(layers):
        cache.update(keys, values, number)
    return _decode(model, cache, mask, following, per_row(max_new_tokens, rows), eos, banned)


def per_row(max_new_tokens: int | Sequence[int], rows: int) -> list[int]:
    """One token budget for each of `rows` rows, from one for all or one for each."""
    return [max_new_tokens] * rows if isinstance(max_new_tokens, int) else list(max_new_tokens)


def _best(logits: torch.Tensor, banned: torch.Tensor | None) -> torch.Tensor:
    if banned is not None:
        logits = logits.masked_fill(banned[: logits.shape[-1]], float("-inf"))
    return logits.argmax(-1)


# UTF-8 lead bytes of U+3000-U+DFFF (CJK punctuation, kana, Han, Yi, Hangul) and U+F000-U+FFFF
# (full-width forms, compatibility ideographs); the same ranges as characters.
_CJK_LEAD_BYTES = frozenset(range(0xE3, 0xEE)) | {0xEF}
_CJK_CHAR = re.compile("[\u3000-\udfff\uf000-\uffff]")


def cjk_token_mask(tokenizer, vocab_size: int) -> torch.Tensor:
    """The tokens of a vocabulary that write CJK characters, whole or in part: a mask of `vocab_size`.
    English answers never need them, and a small model that may pick them switches into Chinese
    mid-sentence ('rural眉山') where it does not know a word. A byte-level BPE vocabulary (Qwen's,
    GPT-2's: every byte is a token) spells each byte as one character, so a token is read for the
    lead bytes of CJK characters; any other vocabulary (SentencePiece: 'été' is letters) for the
    characters themselves."""
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    byte_of = {char: byte for byte, char in bytes_to_unicode().items()}
    vocabulary = tokenizer.get_vocab()
    byte_level = all(char in vocabulary for char in byte_of)
    mask = torch.zeros(vocab_size, dtype=torch.bool)
    for token, index in vocabulary.items():
        if index < vocab_size and (any(byte_of.get(char, 0) in _CJK_LEAD_BYTES for char in token) if byte_level
                                   else _CJK_CHAR.search(token)):
            mask[index] = True
    return mask


def _prefix_copy(prefix_state, rows: int):
    state = copy.deepcopy(prefix_state)
    state.batch_repeat_interleave(rows)
    return state


def _decode(model, cache, mask: torch.Tensor, following: torch.Tensor, budgets: list[int], eos: int,
            banned: torch.Tensor | None) -> list[list[int]]:
    outputs: list[list[int]] = [[] for _ in range(len(following))]
    alive = torch.arange(len(following))  # the original row of each row of the batch
    position = mask.sum(-1)  # the next token's position (positions follow the mask)
    while True:
        for row, token in zip(alive.tolist(), following.tolist(), strict=True):
            if token != eos:
                outputs[row].append(token)
        going = torch.tensor([token != eos and len(outputs[row]) < budgets[row]
                              for row, token in zip(alive.tolist(), following.tolist(), strict=True)])
        if not going.any():
            return outputs
        if not going.all():  # finished rows leave the batch and its cache
            keep = going.nonzero().squeeze(1)
            cache.batch_select_indices(keep)
            alive, following, mask, position = alive[keep], following[keep], mask[keep], position[keep]
        mask = torch.cat([mask, mask.new_ones(len(alive), 1)], 1)
        with torch.inference_mode():
            out = model(input_ids=following[:, None], attention_mask=mask, position_ids=position[:, None],
                        cache=cache, use_cache=True, logits_to_keep=1)
        following = _best(out.logits[:, -1], banned)
        position = position + 1
