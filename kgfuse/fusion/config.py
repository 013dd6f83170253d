"""``TextGraphConfig``: the Hugging Face config fields every kgfuse model shares (its text
encoder and how its vectors are pooled), and the check of a setting against its choices."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, ClassVar

from transformers import AutoConfig, PretrainedConfig
from transformers.configuration_utils import SubConfigSpec

from kgfuse.errors import ConfigError

POOLINGS = ("mean", "cls")


def check_choice(field: str, value: Any, allowed: Collection[Any]) -> None:
    """Raise ``ConfigError`` unless ``value`` is one of ``allowed``.

    Raises:
        ConfigError: Naming the field, the value and the choices.
    """
    if value not in allowed:
        raise ConfigError(f"{field}={value!r} is not supported: expected one of {tuple(allowed)}")


class TextGraphConfig(PretrainedConfig):
    r"""Fields shared by the configs of every kgfuse model (subclasses add their own).

    Args:
        text_config: Config (or dict) of the text encoder, any ``AutoModel`` architecture.
        text_model_name_or_path: Where the text encoder's pretrained weights came from.
        pooling: Text vector: ``mean`` of token states (sentence-transformers) or ``cls``.
        freeze_text_encoder: Train only the graph side (text vectors computed once).
        initializer_range: Std of the normal init of new linear and embedding weights.

    Raises:
        ConfigError: An unknown pooling.
    """

    sub_configs_defaults: ClassVar[dict[str, SubConfigSpec]] = {
        "text_config": SubConfigSpec(config_class=AutoConfig, model_type="bert")
    }

    text_config: dict | PretrainedConfig | None = None
    text_model_name_or_path: str | None = None
    pooling: str = "mean"
    freeze_text_encoder: bool = False
    initializer_range: float = 0.02

    def __post_init__(self, **kwargs: Any) -> None:
        super().__post_init__(**kwargs)
        check_choice("pooling", self.pooling, POOLINGS)
