"""A tiny randomly initialised causal LM and a tokenizer trained on the test's own text,
saved to disk: no download, no weights but the ones the test writes."""

from __future__ import annotations

from pathlib import Path


def build_tiny_llama(folder: Path, corpus: list[str], chat_template: str) -> Path:
    """A 2-layer Llama (hidden 64) with a byte-level BPE tokenizer and `chat_template`."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    bpe.train_from_iterator(
        corpus,
        trainers.BpeTrainer(
            vocab_size=300,
            special_tokens=["<|pad|>", "<|end|>", "<|user|>", "<|assistant|>", "<|system|>"],
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            show_progress=False,
        ),
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=bpe, eos_token="<|end|>", pad_token="<|pad|>"
    )
    tokenizer.chat_template = chat_template
    tokenizer.save_pretrained(folder)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=4,
        max_position_embeddings=128,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=None,
        tie_word_embeddings=True,
        # LoRA leaves the (tied) embeddings frozen, and with the usual 0.02 init they bound
        # the logits to about +-1.3: the loss could not fall far whatever the adapter learns.
        initializer_range=0.2,
    )
    torch.manual_seed(0)
    LlamaForCausalLM(config).save_pretrained(folder)
    return folder
