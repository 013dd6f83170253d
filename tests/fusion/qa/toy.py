"""The toy movie graph of the QA tests: films with a director, actors and a year; 1- and
2-hop questions over it; the tiny encoder's word list."""

from __future__ import annotations

import json
from pathlib import Path

FILMS = {  # film: (director, actors, year)
    "alpha": ("anna", ("ben", "cara"), "y1990"),
    "bravo": ("anna", ("dan",), "y1991"),
    "charlie": ("ben", ("cara", "eve"), "y1992"),
    "delta": ("finn", ("gus", "ben"), "y1990"),
    "echo": ("hal", ("eve", "dan"), "y1993"),
    "foxtrot": ("gus", ("hal", "anna"), "y1991"),
    "golf": ("eve", ("finn",), "y1992"),
    "hotel": ("cara", ("gus", "dan"), "y1993"),
}
QUESTION_WORDS = [
    "who",
    "directed",
    "what",
    "films",
    "did",
    "star",
    "in",
    "when",
    "was",
    "released",
    "were",
    "the",
    "starring",
    "by",
    "ne",
    "of",
    "director",
]
FAST = {"hidden_size": 32, "batch_size": 8, "disable_tqdm": True, "logging_steps": 1000}


def edges() -> list[tuple[str, str, str]]:
    """The toy graph's facts."""
    out = []
    for film, (director, actors, year) in FILMS.items():
        out += [(film, "directed_by", director), (film, "release_year", year)]
        out += [(film, "starred_actors", actor) for actor in actors]
    return out


def questions() -> list[dict]:
    """1-hop (director, year, films of an actor) and 2-hop (directors / years via films)."""
    rows = []
    for film, (director, _, year) in FILMS.items():
        rows.append({"question": f"who directed [{film}]", "answers": [director]})
        rows.append(
            {"question": f"when was {film} released", "topic_entity": film, "answers": [year]}
        )
    people = sorted({p for director, actors, _ in FILMS.values() for p in (director, *actors)})
    for person in people:
        starred = [f for f, (_, actors, _) in FILMS.items() if person in actors]
        directed = [f for f, (d, _, _) in FILMS.items() if d == person]
        if starred:
            rows.append({"question": f"what films did [{person}] star in", "answers": starred})
            directors = sorted({FILMS[f][0] for f in starred} - {person})
            if directors:
                q = f"who directed the films starring [{person}]"
                rows.append({"question": q, "answers": directors})
        if directed:
            years = sorted({FILMS[f][2] for f in directed})
            q = f"when were the films directed by [{person}] released"
            rows.append({"question": q, "answers": years})
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path
