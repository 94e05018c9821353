"""The reading set: a bilingual reader's line-by-line judgements of the English a brief ships.

    .venv/bin/python -m benchmarks.reading_set sheet BRIEFS_DIR --out SHEET.json [--judged J.json ...]
    .venv/bin/python -m benchmarks.reading_set score benchmarks/reading/before.json benchmarks/reading/after.json

`sheet` turns a folder of brief JSON files (`newsbrief batch ARTICLES --out BRIEFS_DIR`) into the sheet a
reader judges: each English title, bullet and key fact beside the Chinese it says (the headline, the
sentence the bullet translates, the sentence each key fact's figures come from). The sheet holds article
text, so it is written outside the project (third-party text is never committed). Lines whose English and
source are those of a line already judged (`--judged`) are left out: they keep that judgement.

The reader writes a judgements file, which is committed: no article text, only ids (a hash of the
source and its English), the article's file name, the field, the verdict, the error kinds and fluency
(1-5), and, per article, how many bullets shipped and how many the checks dropped. `score` prints the
table of the issue for each judgements file side by side.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

# What can be wrong with a line, as the reader names it (issue #33's kinds).
ERROR_KINDS = ("polarity", "direction", "modality", "fact", "relation", "name", "omission", "number", "scope")


def line_id(article: str, field: str, source: str, english: str) -> str:
    digest = hashlib.sha1(f"{source}\n{english}".encode()).hexdigest()[:12]
    return f"{article}|{field.split('[')[0]}|{digest}"


def sheet_items(brief: dict) -> list[dict]:
    """The lines of one brief to judge: title, bullets, key facts, each with its source."""
    article = Path(brief["meta"].get("file") or "article").name
    sentences = brief.get("sentences", [])
    items = []
    if brief["meta"].get("title_en"):
        items.append({"field": "title", "source": brief["meta"]["title"], "english": brief["meta"]["title_en"]})
    for position, bullet in enumerate(brief.get("summary_en", [])):
        index = brief["summary_sources"][position]
        items.append({"field": f"bullet[{position}]", "source": sentences[index]["text"], "english": bullet})
    for position, fact in enumerate(brief.get("key_facts", [])):
        quoted = sorted({sentences[brief["figures"][i]["sentence"]]["text"] for i in fact.get("figures", [])})
        items.append({"field": f"key_fact[{position}]", "source": " / ".join(quoted), "english": fact["text"]})
    for item in items:
        item["article"] = article
        item["id"] = line_id(article, item["field"], item["source"], item["english"])
    return items


def article_counts(brief: dict) -> dict:
    faithfulness = brief.get("faithfulness") or {}
    return {"bullets": len(brief.get("summary_en", [])), "dropped": faithfulness.get("sentences_dropped", 0),
            "title_rebuilt": bool(faithfulness.get("sentences_replaced", 0)),
            "key_facts": len(brief.get("key_facts", []))}


def make_sheet(briefs_dir: Path, out: Path, judged: list[Path]) -> None:
    known = {item["id"] for path in judged for item in json.loads(path.read_text())["items"]}
    briefs = [json.loads(p.read_text()) for p in sorted(briefs_dir.glob("*.json"))
              if p.name not in ("index.json", "feeds.json")]
    items = [item for brief in briefs for item in sheet_items(brief)]
    counts = {Path(b["meta"].get("file") or "article").name: article_counts(b) for b in briefs}
    fresh = [item for item in items if item["id"] not in known]
    out.write_text(json.dumps({"articles": counts, "items": fresh, "all_ids": [i["id"] for i in items]},
                              ensure_ascii=False, indent=1))
    print(f"{len(fresh)} lines to judge ({len(items) - len(fresh)} judged already) -> {out}")


def score(judgements: dict) -> dict:
    items = judgements["items"]
    bullets = [i for i in items if i["field"] == "bullet"]
    titles = [i for i in items if i["field"] == "title"]
    facts = [i for i in items if i["field"] == "key_fact"]
    kinds = Counter(kind for i in items if i["field"] != "title" for kind in i.get("errors", []))

    def share(lines: list[dict]) -> str:
        good = sum(1 for i in lines if i["verdict"] == "faithful")
        return f"{good} of {len(lines)} ({good / len(lines):.0%})" if lines else "-"

    def mean(lines: list[dict], key: str) -> str:
        values = [i[key] for i in lines if isinstance(i.get(key), int | float)]
        return f"{sum(values) / len(values):.1f}" if values else "-"

    articles = judgements.get("articles", {})
    return {
        "bullets shipped": str(len(bullets)),
        "bullets faithful": share(bullets),
        "bullets dropped by the checks": str(sum(a.get("dropped", 0) for a in articles.values())),
        "titles faithful": share(titles),
        "titles rebuilt by rule": str(sum(1 for a in articles.values() if a.get("title_rebuilt"))),
        "key facts faithful": share(facts),
        "bullet fluency (1-5)": mean(bullets, "fluency"),
        "trust, per article (1-5)": mean(list(articles.values()), "trust"),
        "main news told: all / part / none": " / ".join(
            str(sum(1 for a in articles.values() if a.get("main_news") == told)) for told in ("all", "part", "none")),
        "title fluency (1-5)": mean(titles, "fluency"),
        **{f"errors: {kind}": str(kinds.get(kind, 0)) for kind in ERROR_KINDS},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    sheet = commands.add_parser("sheet", help="the lines of a folder of briefs to judge")
    sheet.add_argument("briefs", type=Path)
    sheet.add_argument("--out", type=Path, required=True)
    sheet.add_argument("--judged", type=Path, nargs="*", default=[])
    table = commands.add_parser("score", help="the table, one column per judgements file")
    table.add_argument("judgements", type=Path, nargs="+")
    args = parser.parse_args()
    if args.command == "sheet":
        make_sheet(args.briefs, args.out, args.judged)
        return
    columns = [(path.stem, score(json.loads(path.read_text()))) for path in args.judgements]
    result = Table(title="Reading set: the 13 shared articles, judged line by line", title_justify="left")
    result.add_column("measure")
    for name, _ in columns:
        result.add_column(name, justify="right")
    for measure in columns[0][1]:
        result.add_row(measure, *(values[measure] for _, values in columns))
    Console().print(result)


if __name__ == "__main__":
    main()
