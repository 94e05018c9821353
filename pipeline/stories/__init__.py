"""Stories: one entry per event across outlets, from the briefs in a store.

Clustering (`cluster.py`) reads what the store keeps of each brief (`features.py`: who it is about, its
specific figures, its date, a MinHash of its text) and never compares every pair; merging (`merge.py`) puts the
outlets' figures for one measure side by side and flags where they disagree beyond rounding; `build.py` makes
the :class:`~pipeline.stories.model.Story` records that `batch` and `watch` write to OUT/stories.json and .md.
"""

from .build import build_stories
from .model import Story, StoryArticle, StoryFigure, StoryValue

__all__ = ["Story", "StoryArticle", "StoryFigure", "StoryValue", "build_stories"]
