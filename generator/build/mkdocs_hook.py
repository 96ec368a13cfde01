"""MkDocs hook used only by `python -m generator serve` to regenerate pages before each rebuild."""
from generator.build.serve import regenerate_for_hook as _regenerate


def on_pre_build(config, **kwargs):  # noqa: ARG001 - MkDocs hook signature
    _regenerate()
