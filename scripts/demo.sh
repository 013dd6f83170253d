#!/usr/bin/env bash
# The main job on the bundled sample data, with the embedded store: build a knowledge graph
# from data/articles, show its statistics and one entity card.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
STORE="${STORE:-sample-graph}"
kgfuse build data/articles --store "$STORE"
kgfuse stats --store "$STORE" --top 8
kgfuse query entity "Marie Curie" --store "$STORE"
kgfuse query path "Einstein" "Warsaw" --store "$STORE"
