"""``--schema schema.toml``: predicates to canonical relations, type constraints, pruning."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgfuse.cli.main import run
from kgfuse.errors import ConfigError
from kgfuse.kg.rdf_store import RdfStore
from kgfuse.kg.schema import RELATED_TO, SchemaReport, load_schema
from kgfuse.types import (
    Document,
    EntityMention,
    Provenance,
    ResolvedDocument,
    Sentence,
    Triple,
    content_hash,
)

SCHEMA = """
[options]
unmapped = "related_to"

[relations.birth_place]
surface = ["born_in"]
subject = ["PERSON"]
object = ["GPE", "LOC"]

[relations.located_in]
surface = ["located_in", "be_in"]
"""


def _schema(tmp_path: Path, text: str = SCHEMA) -> Path:
    path = tmp_path / "schema.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _document(facts: list[tuple[str, str, str]], labels: dict[str, str]) -> ResolvedDocument:
    text = "x"
    mentions = tuple(EntityMention(k, k, label, 0, 0, 1) for k, label in labels.items())
    triples = tuple(Triple(s, p, o, Provenance("d", 0, 0, 1, "rules/2")) for s, p, o in facts)
    return ResolvedDocument(
        Document("d", text),
        content_hash(text),
        "rules/2",
        (Sentence(0, 0, 1, text),),
        mentions,
        triples,
    )


def test_rename_keep_and_prune(tmp_path: Path) -> None:
    schema = load_schema(_schema(tmp_path))
    report = SchemaReport()
    doc = _document(
        [
            ("marie_curie", "born_in", "warsaw"),  # kept, renamed
            ("warsaw_pact", "born_in", "warsaw"),  # subject is no person: pruned
            ("airport", "be_in", "texas"),  # no type constraint: kept
            ("marie_curie", "discover", "radium"),  # not in the schema: related_to
        ],
        {"marie_curie": "PERSON", "warsaw": "GPE", "warsaw_pact": "ORG", "airport": "CONCEPT"}
        | {"texas": "GPE", "radium": "CONCEPT"},
    )
    out = schema.apply(doc, report)
    assert {(t.subject_key, t.predicate, t.object_key) for t in out.triples} == {
        ("marie_curie", "birth_place", "warsaw"),
        ("airport", "located_in", "texas"),
        ("marie_curie", RELATED_TO, "radium"),
    }
    assert (report.kept, report.renamed_to_related, report.pruned) == (2, 1, 1)
    assert report.pruned_types == {"birth_place: subject ORG": 1}
    assert out.extractor == f"rules/2 schema={schema.digest}"
    assert all(t.provenance.extractor.endswith(schema.digest) for t in out.triples)


def test_unmapped_can_be_pruned(tmp_path: Path) -> None:
    schema = load_schema(_schema(tmp_path, SCHEMA.replace('"related_to"', '"prune"')))
    report = SchemaReport()
    out = schema.apply(_document([("a", "discover", "b")], {"a": "PERSON", "b": "CONCEPT"}), report)
    assert out.triples == () and report.pruned_unmapped == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[relations.x]\nsurface = ["a"\n', r"schema\.toml:\d+: not valid TOML"),
        ("[relations.born]\nsurface = ['born_in']\nsubject = ['HUMAN']\n", "unknown type 'HUMAN'"),
        ("", "defines no relation"),
        ("[options]\nunmapped = 'prune'\n", "defines no relation"),
        ("[relations.a]\nsurface = ['x']\n[relations.b]\nsurface = ['x']\n", "already maps"),
        ("[options]\nunmapped = 'drop'\n[relations.a]\n", "options.unmapped"),
        ("[relations.Bad-Name]\n", "lower_snake_case"),
    ],
)
def test_bad_schema_files(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_schema(_schema(tmp_path, text))


def test_malformed_schema_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"schema\.toml:3:"):
        load_schema(_schema(tmp_path, "[relations.a]\nsurface = ['x']\nsubject = [PERSON]\n"))


def test_build_with_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "docs.jsonl"
    corpus.write_text(
        '{"id": "1", "text": "Marie Curie was born in Warsaw. Marie Curie discovered radium."}\n',
        encoding="utf-8",
    )
    store = tmp_path / "graph"
    schema = _schema(tmp_path)
    args = ["build", str(corpus), "--store", str(store), "--no-progress", "--json"]
    assert run([*args, "--schema", str(schema)]) == 0
    assert '"schema"' in capsys.readouterr().out  # the pruning report is in the summary
    with RdfStore(store) as graph:
        predicates = {e.predicate for e in graph.iter_edges()}
    assert "birth_place" in predicates and "born_in" not in predicates
    assert predicates <= {"birth_place", "located_in", RELATED_TO}
    assert run(["build", str(corpus), "--store", str(store), "--schema", str(tmp_path)]) != 0
