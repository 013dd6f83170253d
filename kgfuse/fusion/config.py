"""``TextGraphConfig``: the Hugging Face config fields every kgfuse model shares (its text
encoder and how its vectors are pooled), and the check of a setting against its choices."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, ClassVar, Self

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
        num_entities: Nodes of the graph the model was built for.
        num_relations: Directed relation types of that graph (reverse directions are added).
        node_features: Initial node states: ``none``, ``learned`` (an embedding per entity)
            or ``text`` (frozen text-encoder embeddings of entity names, stored in the
            weights, projected to the graph size); which ones a model takes is its own.
        node_feature_dim: Size of the ``text`` node features.
        initializer_range: Std of the normal init of new linear and embedding weights.

    Raises:
        ConfigError: An unknown pooling, or ``text`` node features without their size.
    """

    sub_configs_defaults: ClassVar[dict[str, SubConfigSpec]] = {
        "text_config": SubConfigSpec(config_class=AutoConfig, model_type="bert")
    }

    text_config: dict | PretrainedConfig | None = None
    text_model_name_or_path: str | None = None
    pooling: str = "mean"
    freeze_text_encoder: bool = False
    num_entities: int = 0
    num_relations: int = 0
    node_features: str = "none"
    node_feature_dim: int = 0
    initializer_range: float = 0.02

    def __post_init__(self, **kwargs: Any) -> None:
        super().__post_init__(**kwargs)
        check_choice("pooling", self.pooling, POOLINGS)
        if self.uses_text_features and self.node_feature_dim < 1:
            raise ConfigError("node_features='text' needs node_feature_dim >= 1")

    @property
    def uses_text_features(self) -> bool:
        """Whether graph nodes start from text-encoder features of the entity names."""
        return self.node_features == "text"

    @classmethod
    def for_graph(cls, text: Any, kg: Any, **fields: Any) -> Self:
        """A config for a pretrained text encoder and a graph.

        Args:
            text: A ``PretrainedText`` (its config and path are recorded).
            kg: The ``KGData`` whose entities and relations the model embeds.
            **fields: The model's own settings.
        """
        node_features = fields.get("node_features", cls.node_features)
        return cls(
            text_config=text.config,
            text_model_name_or_path=text.path,
            num_entities=kg.num_entities,
            num_relations=kg.num_relations,
            node_feature_dim=text.config.hidden_size if node_features == "text" else 0,
            **fields,
        )
