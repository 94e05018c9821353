"""Folders: brief a whole news folder resumably (``batch``), or as articles land (``watch``).

What a folder run writes, and how it resumes

`batch` writes `briefs/<slug>.json` and `.md` per article, `digest.md` (newest first, with a table of
contents), `figures.csv` (one row per figure) and `index.json` (one entry per input: content hash, status,
outputs, warnings, error). Files are written atomically and the index after every article, so a run killed
at any point is finished by running it again; unchanged articles are served from the cache when their
content hash and the fingerprint of everything that changes a brief (code, lexicons and gazetteer by
content, library versions, component settings, the size limits, the model and writer settings;
`pipeline/fingerprint.py`) are unchanged and their outputs are whole: edit the gazetteer or upgrade
newsbrief and the next run briefs the folder again. Inputs that were deleted leave the index, the digest and
the CSV, their outputs with them, and an article briefed again (new content, or an English title where there
was a pinyin one) leaves no older files behind. A lock file stops two runs from writing the same folder;
worker processes exit when their run is killed. Exit status 0 when all succeeded, 2 when some failed.
`watch` waits until a file has stopped changing (`--settle`, default 2 s), briefs each version once and
keeps the digest current; Ctrl-C stops it. Outputs follow the umask (a replaced file keeps its mode); `brief
… --out newdir/` writes into that folder.
"""

from .batch import ArticleResult, BatchReport, BatchRun, OutputLocked, article_slug, brief_folder
from .discover import BATCH_SUFFIXES, find_articles
from .ray_engine import RayEngine, RayEngineError, RayMissing, WriterSpec
from .watch import watch_folder

__all__ = ["BATCH_SUFFIXES", "ArticleResult", "BatchReport", "BatchRun", "OutputLocked", "RayEngine",
           "RayEngineError", "RayMissing", "WriterSpec", "article_slug", "brief_folder", "find_articles",
           "watch_folder"]
