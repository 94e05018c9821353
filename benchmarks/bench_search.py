"""Which Chinese full-text index finds what a reader means: SQLite FTS5's trigram tokenizer (the store's)
against jieba-segmented words (unicode61 over space-joined words), on queries judged by a bilingual reader.

    .venv/bin/python -m benchmarks.bench_search [--judgements benchmarks/search/judgements.json]

The judgements (`benchmarks/search/judgements.json`, written blind before this benchmark ran: which of the
38 shared articles mention each query, in any form) name files of ../shared/corpus/articles and
../shared/stories. Both indexes read the article's cleaned title and text, folded to Simplified, and the
query folded the same way; neither knows synonyms (移动电源 for 充电宝), so both miss what only a reader finds.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--judgements", type=Path, default=ROOT / "benchmarks" / "search" / "judgements.json")
    args = parser.parse_args()

    import jieba

    from pipeline.dictionary import load_dictionary
    from pipeline.ingest import ingest_file
    from pipeline.resources import default_resources, ensure_jieba
    from pipeline.store import STORE_NAME, Store
    from pipeline.store.query import search

    judged = json.loads(args.judgements.read_text(encoding="utf-8"))
    folders = [(ROOT / folder).resolve() for folder in judged["corpus"]]
    files = sorted(p for folder in folders for p in folder.glob("*.txt"))
    fold = load_dictionary().simplified
    resources = default_resources()
    ensure_jieba(resources)
    articles = {}
    for path in files:
        article = ingest_file(path, resources=resources)
        articles[path.name] = (fold(article.title), fold(article.text))

    def words(text: str) -> str:
        return " ".join(w for w in jieba.lcut(text) if w.strip())

    with tempfile.TemporaryDirectory() as work:
        store = Store.open(Path(work) / STORE_NAME)
        jieba_db = sqlite3.connect(":memory:")
        jieba_db.execute("CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='unicode61')")
        names = list(articles)
        with store.transaction():
            for rowid, name in enumerate(names, 1):
                title, body = articles[name]
                store.db.execute("INSERT INTO briefs (id, slug, day, title, brief) VALUES (?, ?, 'undated', ?, x'')",
                                 (rowid, name, title))
                store.db.execute("INSERT INTO search_zh (rowid, title, body) VALUES (?, ?, ?)", (rowid, title, body))
                jieba_db.execute("INSERT INTO t (rowid, title, body) VALUES (?, ?, ?)",
                                 (rowid, words(title), words(body)))
        rows = []
        totals: dict[str, list[tuple[float, float]]] = {"trigram": [], "jieba": []}
        seconds = {"trigram": 0.0, "jieba": 0.0}
        for query, relevant in judged["queries"].items():
            relevant = set(relevant)
            started = time.perf_counter()
            trigram = {hit.slug for hit in search(store, query, fold=fold, limit=1000)}
            seconds["trigram"] += time.perf_counter() - started
            started = time.perf_counter()
            phrase = '"' + words(fold(query)).replace('"', '""') + '"'
            found = jieba_db.execute("SELECT rowid FROM t WHERE t MATCH ?", (phrase,)).fetchall()
            segmented = {names[rowid - 1] for (rowid,) in found}
            seconds["jieba"] += time.perf_counter() - started
            cells = []
            for name, got in (("trigram", trigram), ("jieba", segmented)):
                right = len(got & relevant)
                precision = right / len(got) if got else (1.0 if not relevant else 0.0)
                recall = right / len(relevant) if relevant else 1.0
                totals[name].append((precision, recall))
                cells.append(f"{right}/{len(got)}/{len(relevant)}")
            rows.append((query, *cells))
        store.close()

    table = Table(title="Chinese search on 38 judged articles: found relevant / found / relevant, per query")
    for column in ("query", "trigram (store)", "jieba words"):
        table.add_column(column, justify="left" if column == "query" else "right")
    for row in rows:
        table.add_row(*row)
    Console().print(table)
    summary = Table(title="Macro averages over the queries")
    for column in ("index", "precision", "recall", "F1", "ms per query"):
        summary.add_column(column, justify="left" if column == "index" else "right")
    for name, pairs in totals.items():
        precision = statistics.mean(p for p, _ in pairs)
        recall = statistics.mean(r for _, r in pairs)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        summary.add_row(name, f"{precision:.3f}", f"{recall:.3f}", f"{f1:.3f}",
                        f"{seconds[name] / len(pairs) * 1000:.2f}")
    Console().print(summary)


if __name__ == "__main__":
    main()
