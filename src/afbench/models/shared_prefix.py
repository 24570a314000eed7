"""Batched generation that reads the prompt prefix the whole batch shares only once.

Every sample of an afbench run starts with the same system prompt, and the user turns
agree up to the tier tag: for the minimal no-CoT prompt on SmolLM2 that is about 340 of
490 prompt tokens. On a CPU, reading the prompt is most of the work, so
:class:`SharedPrefixModel` runs the shared prefix once (batch of one), copies its key/value
cache to every row, and generates the rest of each prompt from there.

The rows keep their own positions: a batch laid out as `[prefix][padding][rest of the
prompt]` with the padding masked out, and transformers numbers positions from the
attention mask, so each row sees exactly the positions it would see alone. The result has
the same width as the left-padded batch it replaces, which is what the caller (Inspect's
`hf` batcher) slices the new tokens from. Greedy outputs agree with one-at-a-time
generation (tested); only the floating-point order of the prefix's sums differs.
"""

from __future__ import annotations

from typing import Any

#: Below this many shared tokens the copy is not worth it: generate the plain way.
MIN_SHARED = 16


def shared_length(rows: list[list[int]]) -> int:
    """Tokens every row starts with, leaving each row at least one token of its own
    (generation needs a new token to read after the cache)."""
    if len(rows) < 2:
        return 0
    limit = min(len(r) for r in rows) - 1
    n = 0
    first = rows[0]
    while n < limit and all(r[n] == first[n] for r in rows[1:]):
        n += 1
    return n


class SharedPrefixModel:
    """Wraps a transformers causal LM; `generate` shares the batch's common prefix.

    Everything else (`device`, `config`, attributes Inspect reads) is the wrapped
    model's.
    """

    def __init__(self, model: Any, pad_token_id: int) -> None:
        self.wrapped = model
        self.pad_token_id = pad_token_id

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)

    def generate(self, input_ids: Any, attention_mask: Any, **kwargs: Any) -> Any:
        import torch
        from transformers import DynamicCache

        rows = [
            ids[mask.bool()].tolist() for ids, mask in zip(input_ids, attention_mask, strict=True)
        ]
        shared = shared_length(rows)
        if shared < MIN_SHARED:
            return self.wrapped.generate(
                input_ids=input_ids, attention_mask=attention_mask, **kwargs
            )
        width = max(len(r) for r in rows)
        ids, mask = [], []
        for row in rows:
            gap = width - len(row)
            ids.append(row[:shared] + [self.pad_token_id] * gap + row[shared:])
            mask.append([1] * shared + [0] * gap + [1] * (len(row) - shared))
        device = input_ids.device
        batch_ids = torch.tensor(ids, dtype=input_ids.dtype, device=device)
        batch_mask = torch.tensor(mask, dtype=attention_mask.dtype, device=device)
        cache = DynamicCache(config=self.wrapped.config)
        with torch.inference_mode():
            self.wrapped(input_ids=batch_ids[:1, :shared], cache=cache, use_cache=True)
        cache.batch_repeat_interleave(len(rows))
        return self.wrapped.generate(
            input_ids=batch_ids, attention_mask=batch_mask, cache=cache, **kwargs
        )
