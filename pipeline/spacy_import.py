"""Import spaCy without thinc's eager import of torch.

thinc imports torch at start-up only to detect GPUs and its PyTorch wrappers. newsbrief's spaCy
pipeline is jieba's tokenizer plus rule components and uses neither, yet that import costs about
0.8 s of every `newsbrief brief --no-summary`. So when neither spaCy nor torch is loaded yet, torch
is hidden while spaCy loads. torch itself stays importable afterwards (the writer imports it).
Import spacy or torch before pipeline if you need thinc's PyTorch support in the same process.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType


def import_spacy() -> ModuleType:
    if "spacy" in sys.modules or "torch" in sys.modules:
        return importlib.import_module("spacy")
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` raise ImportError
    try:
        return importlib.import_module("spacy")
    finally:
        if "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]
