"""Folders: brief a whole news folder resumably (``batch``), or as articles land (``watch``).

What a folder run writes, and how it resumes

`batch` keeps an output folder's state in its store, `newsbrief.db` (SQLite, see :mod:`pipeline.store`), and
exports `<slug>.json` and `.md` per article, `digest.md` (the days, newest first) with a page per day in
`digest/`, `figures.csv` (one row per figure) and, at the end of a run, `index.json` (one entry per input:
content hash, status, outputs, warnings, error). An article's files are written and then its row and its
brief's rows committed together, so a run killed at any point (`kill -9` included) is finished by running it
again; unchanged articles are served from the cache when their content hash and the fingerprint of
everything that changes a brief (code, lexicons and gazetteer by content, library versions, component
settings, the size limits, the model and writer settings; `pipeline/fingerprint.py`) are unchanged; an
export deleted or truncated since is written again from the store. Edit the gazetteer or upgrade newsbrief
and the next run briefs the folder again. Inputs that were deleted leave the store, the digest and the CSV,
their outputs with them, and an article briefed again (new content, or an English title where there was a
pinyin one) leaves no older files behind. Several runs may write one folder at once (a batch beside a
watch); each input keeps one row. Only the digest pages of the days a run changed are written again. A
folder of an older newsbrief (index.json, no store) is migrated on its next run. Worker processes exit when
their run is killed. Exit status 0 when all succeeded, 2 when some failed.
`watch` waits until a file has stopped changing (`--settle`, default 2 s), briefs each version once and
keeps the digest current; Ctrl-C stops it. Outputs follow the umask (a replaced file keeps its mode); `brief
… --out newdir/` writes into that folder.
"""

from .batch import ArticleResult, BatchReport, BatchRun, brief_folder
from .discover import BATCH_SUFFIXES, find_articles
from .names import article_slug
from .ray_engine import RayEngine, RayEngineError, RayMissing, WriterSpec
from .watch import watch_folder

__all__ = ["BATCH_SUFFIXES", "ArticleResult", "BatchReport", "BatchRun", "RayEngine",
           "RayEngineError", "RayMissing", "WriterSpec", "article_slug", "brief_folder", "find_articles",
           "watch_folder"]
