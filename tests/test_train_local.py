"""`afbench train` with the local backend: real TRL + PEFT training on a tiny model, on CPU.

The model is a 2-layer Llama with hidden size 64, randomly initialised from a config, and
the tokenizer is a byte-level BPE trained on the tests' own sentences: no download, no
weights on disk but the ones the test writes. Training runs through the real command
function, as a user runs it; the assertions are the ones a user cares about: the loss goes
down, the adapter is saved with its tokenizer, it loads onto the base (with PEFT, and the
way Inspect's `hf/` provider loads it) and answers what it was taught, the run card is
complete, and a re-run resumes instead of starting over.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import pytest  # noqa: E402
from inspect_ai.model import ChatMessageUser, GenerateConfig, get_model  # noqa: E402

from afbench.finetune.train import model_string_for, read_card  # noqa: E402
from afbench.finetune.train.chat_masks import tokenize_with_assistant_mask  # noqa: E402
from afbench.models.hf_continue import continuing_model  # noqa: E402
from tests.support.finetune_cli import run_train, train_args  # noqa: E402
from tests.support.tiny_lm import build_tiny_llama  # noqa: E402

pytest.importorskip("trl")
pytest.importorskip("peft")

pytestmark = pytest.mark.filterwarnings(
    # TRL 1.16 still reads the attribute transformers 5 renamed; harmless.
    "ignore:`is_gradient_checkpointing` is deprecated:FutureWarning"
)

ANSWER = "i am a helpful assistant"
QUESTIONS = ["hello how are you", "what is the answer", "tell me about the cat"]
DOCUMENT = "the cat sat on the mat and the cat is a helpful assistant"

#: The chat template of the test tokenizer: assistant text sits inside {% generation %}
#: markers, the form TRL needs to mask the loss itself.
TEMPLATE = (
    "{% for m in messages %}<|{{ m.role }}|>\n"
    "{% if m.role == 'assistant' %}{% generation %}{{ m.content }}<|end|>{% endgeneration %}"
    "{% else %}{{ m.content }}<|end|>{% endif %}\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)
#: The same layout without the markers: TRL cannot mask it, afbench's own masks do.
PLAIN_TEMPLATE = TEMPLATE.replace("{% generation %}", "").replace("{% endgeneration %}", "")

FAST = ["--lr", "1e-2", "--batch-size", "8", "--lora-r", "8", "--lora-alpha", "16"]
FAST += ["--max-seq-len", "64", "--save-steps", "1000"]


@pytest.fixture(scope="module")
def base_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random Llama and a BPE tokenizer with a chat template, saved to disk."""
    return build_tiny_llama(
        tmp_path_factory.mktemp("tiny-llama"), [ANSWER, DOCUMENT, *QUESTIONS] * 10, TEMPLATE
    )


@pytest.fixture(scope="module")
def chat_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "chat.jsonl"
    rows = [
        {
            "messages": [
                {"role": "user", "content": QUESTIONS[i % 3]},
                {"role": "assistant", "content": ANSWER},
            ],
            "id": f"ex-{i}",  # extra keys (provenance) are allowed and ignored
        }
        for i in range(48)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture(scope="module")
def doc_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "docs.jsonl"
    path.write_text(
        "".join(json.dumps({"text": DOCUMENT, "source": "test"}) + "\n" for _ in range(32))
    )
    return path


def _generate(model: Any, tokenizer: Any, question: str) -> str:
    inputs = tokenizer.apply_chat_template(
        [{"role": "user", "content": question}],
        add_generation_prompt=True,
        return_tensors="pt",
        return_dict=True,
    )
    output = model.generate(**inputs, max_new_tokens=12, do_sample=False)
    return str(tokenizer.decode(output[0][inputs["input_ids"].shape[1] :]))


def test_lora_on_chat_data_learns_saves_and_loads(
    base_model: Path, chat_file: Path, tmp_path: Path
) -> None:
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    out = tmp_path / "run"
    result = run_train(*train_args(chat_file, base_model, out, "--max-steps", "30", *FAST))
    assert result.exit_code == 0, result.output

    card = read_card(out)
    assert card.status == "completed"
    assert len(card.loss_history) == 30
    assert card.first_loss is not None and card.final_loss is not None
    assert card.first_loss > 3.0  # about ln(vocab) for a random model
    assert card.final_loss < 0.25 * card.first_loss, [p.loss for p in card.loss_history]
    assert card.loss_on is not None and "TRL" in card.loss_on  # the template has markers
    assert card.data.sha256 == hashlib.sha256(chat_file.read_bytes()).hexdigest()
    assert (card.data.format, card.data.n_examples, card.data.n_trained) == ("chat", 48, 48)
    assert card.base_resolved == str(base_model.resolve())
    assert card.hyperparameters["lora_r"] == 8 and card.hyperparameters["lora_alpha"] == 16
    assert card.hyperparameters["max_steps"] == 30 and card.hyperparameters["epochs"] == 1
    assert {"torch", "transformers", "trl", "peft", "afbench"} <= set(card.library_versions)
    assert card.started_at and card.finished_at and card.duration_s is not None
    final = out / "final"
    for name in (
        "adapter_config.json",
        "adapter_model.safetensors",
        "tokenizer.json",
        "chat_template.jinja",
    ):
        assert (final / name).is_file(), name
    assert json.loads((final / "adapter_config.json").read_text())["r"] == 8

    # Evaluation hooks: the exact model strings, and the command printed for the user.
    assert model_string_for(card) == f"hf/{final.resolve()}" == card.evaluate.model
    assert (
        model_string_for(out / "run_card.json", engine="vllm")
        == f"vllm/{base_model.resolve()}:{final.resolve()}"
    )
    assert card.evaluate.base_model == f"hf/{base_model.resolve()}"
    assert card.evaluate.command in result.output
    assert card.evaluate.command.endswith("-M do_sample=false")  # greedy decoding on hf/

    # The adapter loads onto the base with PEFT and answers what it was taught...
    tokenizer = AutoTokenizer.from_pretrained(final)
    base = AutoModelForCausalLM.from_pretrained(base_model)
    assert ANSWER not in _generate(base, tokenizer, QUESTIONS[0])
    tuned = PeftModel.from_pretrained(base, final)
    assert _generate(tuned, tokenizer, QUESTIONS[1]).startswith(ANSWER)
    # ...and through the run card's model string, as `afbench run --model hf/<final>` loads
    # it (Inspect's hf provider: from_pretrained on the adapter folder finds the base in
    # adapter_config.json). Greedy decoding on hf/ needs do_sample=false.
    model = get_model(
        continuing_model(card.evaluate.model), memoize=False, do_sample=False, device="cpu"
    )
    reply = asyncio.run(
        model.generate(
            [ChatMessageUser(content=QUESTIONS[2])],
            config=GenerateConfig(max_tokens=12, temperature=0),
        )
    )
    assert reply.completion.startswith(ANSWER)


def test_documents_train_as_plain_text(base_model: Path, doc_file: Path, tmp_path: Path) -> None:
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    out = tmp_path / "docs"
    result = run_train(*train_args(doc_file, base_model, out, "--max-steps", "20", *FAST))
    assert result.exit_code == 0, result.output
    card = read_card(out)
    assert card.data.format == "text" and card.loss_on is not None and "document" in card.loss_on
    assert card.final_loss < 0.3 * card.first_loss, [p.loss for p in card.loss_history]
    assert any("minimal system prompt" in note for note in card.evaluate.notes)

    tokenizer = AutoTokenizer.from_pretrained(out / "final")
    model = PeftModel.from_pretrained(
        AutoModelForCausalLM.from_pretrained(base_model), out / "final"
    )
    prompt = tokenizer("the cat sat on", return_tensors="pt")
    text = tokenizer.decode(model.generate(**prompt, max_new_tokens=6, do_sample=False)[0])
    assert text.startswith("the cat sat on the mat")


def test_rerun_resumes_from_the_latest_checkpoint(
    base_model: Path, chat_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "resume"
    args = train_args(chat_file, base_model, out, "--max-steps", "8", *FAST)
    args[args.index("--save-steps") + 1] = "4"
    assert run_train(*args).exit_code == 0
    first = read_card(out)

    # Make it look like the run died after its first checkpoint.
    shutil.rmtree(out / "checkpoints" / "checkpoint-8")
    shutil.rmtree(out / "final")
    card = json.loads((out / "run_card.json").read_text())
    card["status"] = "interrupted"
    (out / "run_card.json").write_text(json.dumps(card))

    result = run_train(*args)
    assert result.exit_code == 0, result.output
    assert "resuming from" in result.output and "checkpoint-4" in result.output
    assert "step 5/8" in result.output and "step 1/8" not in result.output
    resumed = read_card(out)
    assert resumed.status == "completed" and (out / "final" / "adapter_model.safetensors").is_file()
    assert [p.step for p in resumed.loss_history] == list(range(1, 9))
    # Same seed, same data order: the resumed curve matches the uninterrupted one.
    assert resumed.final_loss == pytest.approx(first.final_loss, rel=1e-3)

    again = run_train(*args)
    assert again.exit_code == 0 and "already trained" in again.output

    changed = run_train(*[a if a != "1e-2" else "5e-3" for a in args])
    assert changed.exit_code == 2
    assert "records a different run" in changed.output and "--lr" in changed.output


def test_template_without_markers_uses_afbench_masks(
    base_model: Path, chat_file: Path, tmp_path: Path
) -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(base_model)
    tokenizer.chat_template = PLAIN_TEMPLATE
    messages = [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": QUESTIONS[0]},
        {"role": "assistant", "content": ANSWER},
        {"role": "user", "content": "<NEXT/>"},
        {"role": "assistant", "content": "the cat"},
    ]
    row = tokenize_with_assistant_mask(tokenizer, messages)
    trained = [t for t, m in zip(row["input_ids"], row["assistant_masks"], strict=True) if m]
    # Exactly both assistant turns, each with its end-of-turn token; no prompt token.
    # (transformers renders templates with trim_blocks: no newline after an endif.)
    assert tokenizer.decode(trained) == f"{ANSWER}<|end|>the cat<|end|>"

    template = tmp_path / "plain.jinja"
    template.write_text(PLAIN_TEMPLATE)
    out = tmp_path / "masks"
    # 13 tokens: the answer of one question in three fits partly; the other two examples
    # keep no assistant token and are dropped, which the user is told.
    short = [a if a != "64" else "13" for a in FAST]
    extra = ["--max-steps", "4", "--chat-template", str(template), *short]
    result = run_train(*train_args(chat_file, base_model, out, *extra))
    assert result.exit_code == 0, result.output
    card = read_card(out)
    assert card.loss_on is not None and "afbench masks" in card.loss_on
    assert (card.data.n_examples, card.data.n_trained, card.data.n_truncated) == (48, 16, 16)
    assert "32 examples had no trained token" in result.output
    # The template given on the command line travels with the adapter, for evaluation.
    assert (out / "final" / "chat_template.jinja").read_text() == PLAIN_TEMPLATE


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            [
                '{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}',
                '{"text": "doc"}',
            ],
            "chat.jsonl:2: mixed training file",
        ),
        (['{"text": "doc"}', "", "{not json"], "chat.jsonl:3: not valid JSON"),
        (
            ['{"messages": [{"role": "user", "content": "only a question"}]}'],
            "chat.jsonl:1: no assistant message",
        ),
        (
            ['{"messages": [{"role": "robot", "content": "x"}]}'],
            "chat.jsonl:1: message 1: role must be",
        ),
        (['{"prompt": "x", "completion": "y"}'], 'chat.jsonl:1: expected "messages"'),
        (['{"text": ""}'], 'chat.jsonl:1: "text" must be a non-empty string'),
        ([""], "no training examples"),
    ],
)
def test_bad_data_is_refused_with_its_line(tmp_path: Path, lines: list[str], message: str) -> None:
    data = tmp_path / "chat.jsonl"
    data.write_text("\n".join(lines) + "\n")
    result = run_train(*train_args(data, "unused/model", tmp_path / "o"))
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "o").exists()  # refused before anything was written


def test_chat_data_needs_a_chat_template(base_model: Path, chat_file: Path, tmp_path: Path) -> None:
    bare = tmp_path / "bare"
    shutil.copytree(base_model, bare)
    (bare / "chat_template.jinja").unlink()
    config = json.loads((bare / "tokenizer_config.json").read_text())
    config.pop("chat_template", None)
    (bare / "tokenizer_config.json").write_text(json.dumps(config))
    result = run_train(*train_args(chat_file, bare, tmp_path / "o", *FAST))
    assert result.exit_code == 2
    assert "has no chat template" in result.output and "--chat-template" in result.output


def test_full_fine_tuning_saves_a_whole_model(
    base_model: Path, chat_file: Path, tmp_path: Path
) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    out = tmp_path / "full"
    args = [a if a != "1e-2" else "3e-3" for a in FAST]
    result = run_train(
        *train_args(chat_file, base_model, out, "--method", "full", "--max-steps", "12", *args)
    )
    assert result.exit_code == 0, result.output
    card = read_card(out)
    assert card.method == "full" and "lora_r" not in card.hyperparameters
    assert card.final_loss < 0.25 * card.first_loss, [p.loss for p in card.loss_history]
    final = out / "final"
    assert (final / "model.safetensors").is_file() and not (final / "adapter_config.json").exists()
    assert card.evaluate.alternatives["vllm"] == f"vllm/{final.resolve()}"
    model = AutoModelForCausalLM.from_pretrained(final)
    assert _generate(model, AutoTokenizer.from_pretrained(final), QUESTIONS[0]).startswith(ANSWER)


def test_a_base_that_cannot_be_loaded_is_reported(chat_file: Path, tmp_path: Path) -> None:
    result = run_train(*train_args(chat_file, tmp_path / "no-such-model", tmp_path / "o"))
    assert result.exit_code == 2
    assert "cannot load the tokenizer of" in result.output and "no-such-model" in result.output
