"""`local/<name>`: a real chat model run on this machine, offline.

`local/smollm2`, or `local/<path>` to any Hugging Face model folder, `afbench train`
adapter folder or GGUF file (see :mod:`.local_files` for the names and the one-time GGUF
conversion). It is Inspect's Hugging Face provider as afbench runs `hf/` (a prefill is
continued, `--format base` sends the raw document through the tokenizer; see
:mod:`.hf_continue`), with three things a local run on a CPU needs:

- the model is found by name and a GGUF file is converted once, so nothing is downloaded;
- decoding is greedy at temperature 0 and sampled above it (Inspect's `hf` samples
  unless told `do_sample=false`);
- batches share their common prompt prefix (:mod:`.shared_prefix`): the system prompt
  is read once per batch, not once per sample. `-M share_prefix=false` turns it off.

`-M threads=N` sets torch's CPU threads (on a machine busy with other work, fewer threads
than cores can be several times faster). Other `-M` arguments go to Inspect's `hf`
provider (`batch_size`, `device`, `chat_template`, ...).

torch and transformers are the `train` extra: they are imported when the provider is
built, and their absence is an error that names the extra.
"""

from __future__ import annotations

import sys
from functools import cache
from typing import Any

from inspect_ai.model import GenerateConfig, ModelAPI, modelapi

from ..errors import ModelSetupError
from .local_files import EXTRA_HINT, model_folder


@modelapi(name="local")
def local() -> type[ModelAPI]:
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as exc:
        raise ModelSetupError(
            f"local/ models need the 'train' extra ({exc.name} is missing): {EXTRA_HINT}",
            hint=EXTRA_HINT,
        ) from None
    return _local_api_class()


@cache
def _local_api_class() -> type[ModelAPI]:
    from .hf_continue import continuing_api_class
    from .shared_prefix import SharedPrefixModel

    base: Any = continuing_api_class()

    class LocalModelAPI(base):  # type: ignore[misc, valid-type]
        def __init__(
            self,
            model_name: str,
            base_url: str | None = None,
            api_key: str | None = None,
            config: GenerateConfig | None = None,
            **model_args: Any,
        ) -> None:
            import torch

            from .._util.inspect_internals import is_model_info_lookup

            if is_model_info_lookup(api_key):
                # Inspect only wants the name (for its model-info lookup): load nothing.
                ModelAPI.__init__(
                    self, model_name, base_url, api_key, [], config or GenerateConfig()
                )
                return
            threads = model_args.pop("threads", None)
            share_prefix = _flag(model_args.pop("share_prefix", True))
            if threads is not None:
                torch.set_num_threads(int(threads))
            model_args["model_path"] = str(model_folder(model_name, echo=_say))
            super().__init__(
                model_name, base_url, api_key, config or GenerateConfig(), **model_args
            )
            if share_prefix:
                self.model = SharedPrefixModel(self.model, self.tokenizer.pad_token_id)

    return LocalModelAPI


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _flag(value: Any) -> bool:
    """A boolean model arg, given as a bool or as text on the command line (-M k=false)."""
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "0", "no", "off")
    return bool(value)
