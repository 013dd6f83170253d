"""Document-graph classification: documents and knowledge-graph terms in one GCN, mixed
with the text model (TextGCN / BertGCN), in a transductive or an inductive mode."""

from kgfuse.fusion.classify.docgraph.io import is_document_graph_dir, load_document_graph
from kgfuse.fusion.classify.docgraph.model import DocGraphConfig, DocGraphForSequenceClassification
from kgfuse.fusion.classify.docgraph.options import DocGraphOptions
from kgfuse.fusion.classify.docgraph.predictor import DocGraphPredictor
from kgfuse.fusion.classify.docgraph.trainer import train_document_graph

__all__ = [
    "DocGraphConfig",
    "DocGraphForSequenceClassification",
    "DocGraphOptions",
    "DocGraphPredictor",
    "is_document_graph_dir",
    "load_document_graph",
    "train_document_graph",
]
