#!/usr/bin/env bash
# Install everything from scratch (see setup.sh), then lint and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
# kgfuse never downloads models at run time; make the Hugging Face libraries agree.
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
bash scripts/setup.sh
. .venv/bin/activate
ruff check kgfuse tests benchmarks
ruff format --check kgfuse tests benchmarks
python -m pytest -q "$@"
