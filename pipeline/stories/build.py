"""Stories from a store: group its briefs by event, choose each story's lead, merge the figures its outlets state
and flag where they disagree."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from ..store import Store
from .cluster import DEFAULT_THRESHOLDS, Grouping, Thresholds, group_stories
from .features import StoryFeatures
from .merge import StatedFigure, disputes, measure_names, value_groups
from .model import StatedBy, Story, StoryArticle, StoryFigure, StoryValue


def _stated(rows) -> list[StatedFigure]:
    return [StatedFigure(slug, outlet or "unknown outlet", n, text, kind, value, unit, approx, low, high, english,
                         measure) for slug, outlet, n, text, kind, value, unit, approx, low, high, english, measure
            in rows if value is not None]


def merge_figures(stated: list[StatedFigure], names: dict[str, str], copies: frozenset[str] = frozenset()
                  ) -> list[StoryFigure]:
    by_measure: dict[tuple[str, str], list[StatedFigure]] = defaultdict(list)
    for figure in stated:
        by_measure[(figure.measure, figure.kind)].append(figure)
    merged = []
    for (measure, kind), figures in sorted(by_measure.items()):
        if len({f.slug for f in figures}) < 2:
            continue  # stated by one article: nothing to merge (it is in that article's brief)
        # Money in two currencies is not compared (no conversion is made); a count's measure word (件, 颗) is not
        # what it counts.
        units = Counter(f.unit for f in figures) if kind == "money" else Counter({None: len(figures)})
        main = units.most_common(1)[0][0]
        groups = value_groups([f for f in figures if kind != "money" or f.unit == main])
        others = value_groups([f for f in figures if kind == "money" and f.unit != main])
        disputed = disputes(groups)
        conflict = ("date" if kind == "date" else "value") if disputed else \
            "currency" if others and kind == "money" else None
        values = [StoryValue(value=g[0].value, unit=g[0].unit, english=g[0].english,
                             stated_by=[StatedBy(slug=f.slug, outlet=f.outlet, span=f.text, repost=f.slug in copies)
                                        for f in sorted(g, key=lambda f: (f.slug, f.n))]) for g in groups + others]
        merged.append(StoryFigure(measure=measure, measure_en=names.get(measure, measure), kind=kind, values=values,
                                  conflict=conflict, disputes=disputed))
    return merged


def build_stories(store: Store, measure_en: dict[str, str] | None = None,
                  thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[Story]:
    """Every story of two or more articles in the store, newest first."""
    rows = store.db.execute("SELECT b.id, b.slug, b.title, b.title_en, b.source, f.data, f.minhash FROM briefs b "
                            "JOIN features f ON f.brief = b.id ORDER BY b.id").fetchall()
    features = [StoryFeatures.from_row(slug, data, minhash) for _, slug, _, _, _, data, minhash in rows]
    grouping: Grouping = group_stories(features, thresholds)
    names = measure_en if measure_en is not None else measure_names()
    stories = []
    for group in grouping.groups:
        if len(group) < 2:
            continue
        articles = [StoryArticle(slug=rows[i][1], outlet=rows[i][4], published=features[i].published,
                                 title=rows[i][2], title_en=rows[i][3],
                                 copy_of=features[grouping.copies[i]].slug if i in grouping.copies else None)
                    for i in group]
        ids = [rows[i][0] for i in group]
        marks = ",".join("?" * len(ids))
        stated = _stated(store.db.execute(
            "SELECT b.slug, b.source, f.n, f.text, f.kind, f.value, f.unit, f.approx, f.low, f.high, f.english, "
            f"f.measure FROM figures f JOIN briefs b ON b.id = f.brief WHERE f.brief IN ({marks}) "
            "AND f.measure IS NOT NULL ORDER BY b.id, f.n", ids))
        measured = Counter(f.slug for f in stated)
        originals = [a for a in articles if a.copy_of is None] or articles
        lead = max(originals, key=lambda a: (measured[a.slug], a.title_en is not None,
                                             -(a.published or datetime.max).timestamp() if a.published else 0))
        brief = store.brief(lead.slug)
        figures = merge_figures(stated, names, frozenset(a.slug for a in articles if a.copy_of))
        stories.append(Story(id=articles[0].slug, lead=lead.slug, title=lead.title, title_en=lead.title_en,
                             summary_en=brief.summary_en if brief else [], articles=articles, figures=figures,
                             conflicts=sum(1 for f in figures if f.conflict)))
    return sorted(stories, key=lambda s: max((a.published or datetime.min) for a in s.articles), reverse=True)
