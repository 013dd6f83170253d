"""``KGQAForAnswerRanking``: a question-conditioned relational reasoner over a subgraph.

The question vector (any HF encoder, pooled) gives one instruction per hop (NSM-style,
``i_t = tanh(W_t [q; i_{t-1}])``); the instruction's attention over the relation embeddings
(forward and reverse) weights every edge at that hop. Two things flow along those weighted
edges from the topic entities:

* a score ``p_t`` (TransferNet / GraftNet-style path following): ``p_t[v] = min(1,
  sum_{(u,r,v)} p_{t-1}[u] a_t[r])``, mixed over hops by a question-dependent hop attention,
  so 1-, 2- and 3-hop questions share one model (trained, when questions state their hop
  count, as a hop classifier too: ``hop_labels``);
* node states (a relational GNN): messages ``a_t[r] (W h_u + e_r)``, averaged by weight, update
  ``h_v``. States start from a topic marker plus optional entity features
  (``node_states=False`` skips this part: about twice as fast, path score only).

A candidate's logit is ``scale * p[v] + MLP([h_v; q])``; the loss is the cross-entropy over a
question's candidates with all gold answers counted as correct (``-log sum_gold softmax``).
Question vectors are standardised by ``question_mean`` / ``question_std`` (buffers saved with
the weights; set from the training questions in the frozen-encoder mode, identity otherwise).
"""

from __future__ import annotations

import torch
from torch import nn
from torch_geometric.utils import scatter, to_dense_batch
from transformers import AutoConfig
from transformers import initialization as init

from kgfuse.fusion.pretrained import KgfusePreTrainedModel
from kgfuse.fusion.qa.config import QA_MODEL_TYPE, KGQAConfig
from kgfuse.fusion.qa.parts import KGQAOutput, QANodeInput


class KGQAForAnswerRanking(KgfusePreTrainedModel):
    """Ranks the entities of each question's subgraph as answers.

    Args:
        config: A ``KGQAConfig`` (its only constructor argument, HF style).
    """

    kind = "QA"
    base_model_prefix = "kgqa"
    config_class = KGQAConfig
    config: KGQAConfig

    def __init__(self, config: KGQAConfig) -> None:
        super().__init__(config)
        hidden, hops = config.hidden_size, config.num_hops
        text_dim = config.text_config.hidden_size
        # Standardisation of question vectors (set from the training questions when the
        # encoder is frozen: random or sentence encoders give vectors that share most of
        # their direction, which slows the reasoner's learning a lot).
        self.register_buffer("question_mean", torch.zeros(text_dim))
        self.register_buffer("question_std", torch.ones(text_dim))
        self.question_proj = nn.Linear(text_dim, hidden)
        self.instructions = nn.ModuleList(nn.Linear(2 * hidden, hidden) for _ in range(hops))
        self.relation_embedding = nn.Embedding(2 * max(config.num_relations, 1), hidden)
        self.hop_attention = nn.Linear(hidden, hops)
        self.node_input = QANodeInput(config)
        self.message = nn.Linear(hidden, hidden)
        self.updates = nn.ModuleList(nn.Linear(2 * hidden, hidden) for _ in range(hops))
        self.norms = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(hops))
        self.scorer = nn.Sequential(nn.Linear(2 * hidden, hidden), nn.ReLU(), nn.Linear(hidden, 1))
        self.score_scale = nn.Parameter(torch.tensor(float(config.initial_score_scale)))
        self.dropout = nn.Dropout(config.dropout)
        self.post_init_frozen()

    @torch.no_grad()
    def _init_weights(self, module: nn.Module) -> None:
        super()._init_weights(module)
        scale = getattr(module, "score_scale", None)
        if isinstance(scale, nn.Parameter):
            init.constant_(scale, float(self.config.initial_score_scale))

    def forward(
        self,
        node_ids: torch.Tensor,
        batch: torch.Tensor,
        edge_index: torch.Tensor,
        edge_type: torch.Tensor,
        topic_mask: torch.Tensor,
        input_ids: torch.Tensor | None = None,
        attention_mask: torch.Tensor | None = None,
        token_type_ids: torch.Tensor | None = None,
        text_embeds: torch.Tensor | None = None,
        labels: torch.Tensor | None = None,
        hop_labels: torch.Tensor | None = None,
        return_dict: bool | None = None,
    ) -> KGQAOutput | tuple[torch.Tensor, ...]:
        """Score every candidate of a batch of questions.

        Args:
            node_ids: [N] global entity id of each subgraph node.
            batch: [N] question index of each node (sorted).
            edge_index: [2, E] local edges, both directions of every fact.
            edge_type: [E] relation ids (reverse directions offset by ``num_relations``).
            topic_mask: [N] True at the topic entities.
            input_ids: [batch, tokens] question token ids (or give ``text_embeds``).
            attention_mask: [batch, tokens].
            token_type_ids: [batch, tokens], for encoders that use them.
            text_embeds: [batch, text_hidden] precomputed question vectors (frozen encoder).
            labels: [N] 1.0 at the gold answers.
            hop_labels: [batch] how many hops each question needs (0 = unknown); with
                ``labels``, adds ``hop_loss_weight`` times the cross-entropy of the hop
                attention against them (a hop classifier that tells the reasoner where to stop).
            return_dict: Return a tuple when False.

        Returns:
            ``KGQAOutput`` (``loss`` when ``labels`` are given).
        """
        if text_embeds is None:
            if input_ids is None or attention_mask is None:
                raise ValueError("forward needs input_ids and attention_mask, or text_embeds")
            text_embeds = self.encode_text(input_ids, attention_mask, token_type_ids)
        text_embeds = (text_embeds - self.question_mean) / self.question_std
        q = self.dropout(torch.tanh(self.question_proj(text_embeds)))  # [batch, hidden]
        num_nodes, batch_size = node_ids.shape[0], q.shape[0]
        topic = topic_mask.to(q.dtype)  # [N]
        count = scatter(topic, batch, dim=0, dim_size=batch_size, reduce="sum")  # [batch]
        p = topic / count.clamp(min=1.0)[batch]  # [N]
        h = self.node_input(node_ids, topic_mask)  # [N, hidden]
        src, dst = edge_index
        instruction = torch.zeros_like(q)
        hop_scores, relation_weights = [], []
        for t in range(self.config.num_hops):
            instruction = torch.tanh(self.instructions[t](torch.cat([q, instruction], -1)))
            attn = torch.softmax(
                instruction @ self.relation_embedding.weight.T, -1
            )  # [batch, 2 * relations]
            weight = attn[batch[src], edge_type]  # [E]
            p = scatter(p[src] * weight, dst, dim=0, dim_size=num_nodes, reduce="sum").clamp(max=1)
            if self.config.node_states:
                h = self.propagate_states(t, h, weight, edge_index, edge_type, instruction[batch])
            hop_scores.append(p)
            relation_weights.append(attn)
        hop_attn = torch.softmax(self.hop_attention(q), -1)  # [batch, hops]
        scores = torch.stack(hop_scores, -1)  # [N, hops]
        path_score = (scores * hop_attn[batch]).sum(-1)  # [N]
        feature_score = self.scorer(torch.cat([h, q[batch]], -1)).squeeze(-1)  # [N]
        node_logits = self.score_scale * path_score + feature_score  # [N]
        candidate = (
            ~topic_mask if self.config.exclude_topic_entities else torch.ones_like(topic_mask)
        )
        node_logits = node_logits.masked_fill(~candidate, torch.finfo(node_logits.dtype).min)
        logits, node_mask = to_dense_batch(
            node_logits, batch, fill_value=torch.finfo(node_logits.dtype).min, batch_size=batch_size
        )  # [batch, max_nodes]
        candidate_mask, _ = to_dense_batch(candidate, batch, batch_size=batch_size)
        loss = None
        if labels is not None:
            loss = self.loss(logits, candidate_mask, labels, batch)
            if hop_labels is not None and self.config.hop_loss_weight > 0:
                known = (hop_labels >= 1) & (hop_labels <= self.config.num_hops)  # [batch]
                if bool(known.any()):
                    log_attn = torch.log(hop_attn[known].clamp(min=1e-9))  # [known, hops]
                    hop_loss = nn.functional.nll_loss(log_attn, hop_labels[known] - 1)
                    loss = loss + self.config.hop_loss_weight * hop_loss
        out = KGQAOutput(
            loss=loss,
            logits=logits,
            node_mask=node_mask,
            candidate_mask=candidate_mask,
            hop_scores=torch.stack(hop_scores),  # [hops, N]
            relation_weights=torch.stack(relation_weights),  # [hops, batch, 2 * relations]
            hop_attention=hop_attn,
        )
        return out.to_tuple() if return_dict is False else out

    def propagate_states(
        self,
        t: int,
        h: torch.Tensor,
        weight: torch.Tensor,
        edge_index: torch.Tensor,
        edge_type: torch.Tensor,
        instruction: torch.Tensor,
    ) -> torch.Tensor:
        """One relational GNN step: ``h`` [N, hidden] -> [N, hidden].

        Messages ``weight_e (W h_u + e_r)`` are averaged by weight at their target and update
        the state with the hop's instruction (``instruction`` [N, hidden], per node).
        """
        src, dst = edge_index
        num_nodes = h.shape[0]
        msg = weight.unsqueeze(-1) * (self.message(h)[src] + self.relation_embedding(edge_type))
        total = scatter(weight, dst, dim=0, dim_size=num_nodes, reduce="sum")  # [N]
        agg = scatter(msg, dst, dim=0, dim_size=num_nodes, reduce="sum")  # [N, hidden]
        agg = agg / total.clamp(min=1e-6).unsqueeze(-1)
        update = torch.relu(self.updates[t](torch.cat([agg, instruction], -1)))
        return self.norms[t](h + self.dropout(update))

    @staticmethod
    def loss(
        logits: torch.Tensor,
        candidate_mask: torch.Tensor,
        labels: torch.Tensor,
        batch: torch.Tensor,
    ) -> torch.Tensor:
        """``-log sum_gold softmax(logits)`` averaged over questions with a gold candidate."""
        gold, _ = to_dense_batch(labels > 0, batch, batch_size=logits.shape[0])  # [batch, nodes]
        gold = gold & candidate_mask
        log_probs = torch.log_softmax(logits, -1)  # [batch, max_nodes]
        gold_lp = torch.logsumexp(log_probs.masked_fill(~gold, float("-inf")), -1)  # [batch]
        has_gold = gold.any(-1)
        if not bool(has_gold.any()):
            return logits.sum() * 0.0
        return -gold_lp[has_gold].mean()


# Let ``AutoConfig`` (and ``AutoTokenizer``, which reads config.json) recognise QA models.
AutoConfig.register(QA_MODEL_TYPE, KGQAConfig, exist_ok=True)
