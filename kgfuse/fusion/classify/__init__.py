"""Text classification with the graph. What both methods share lives here (labelled data
and the label space, linking examples, ``Prediction``, metrics); each method is a package:

- ``docgraph``: documents and graph terms in one GCN over frozen text vectors, mixed with a
  text head (TextGCN/BertGCN shape; the default);
- ``subgraph``: each text's bounded subgraph encoded by a GNN and fused with a fine-tuned
  text encoder through the Hugging Face ``Trainer`` (``kgfuse classify train-fusion``).

Both are registered in ``kgfuse.fusion.registry``.
"""
