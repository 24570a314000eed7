"""How model strings are shown to people (no heavy imports: the report path uses it)."""

REPLAY_PREFIX = "replay/"
CONTINUE_PREFIX = "hf-continue/"


def display_model_name(model: str) -> str:
    """Reports show the model's own name: an imported model's (`replay/<name>`), and `hf/...`
    for models afbench ran through its continuing Hugging Face provider."""
    if model.startswith(REPLAY_PREFIX):
        return model[len(REPLAY_PREFIX) :]
    if model.startswith(CONTINUE_PREFIX):
        return "hf/" + model[len(CONTINUE_PREFIX) :]
    return model
