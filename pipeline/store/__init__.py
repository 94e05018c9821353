"""The store: an output folder's SQLite database, source of truth for its cache, resume and queries.

`batch`, `watch` (folders and feeds) and the Ray engine's driver write it; `search` and `figures` read it.
Per-article JSON and Markdown, the digest, figures.csv and index.json are exports written from it.
"""

from .database import STORE_NAME, Store, StoreError
from .rows import BriefRows, brief_rows

__all__ = ["STORE_NAME", "BriefRows", "Store", "StoreError", "brief_rows"]
