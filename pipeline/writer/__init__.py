"""The English writer: a transformer model writes the English title, summary and wording of
the fact sheet, and newsbrief checks every number it writes.

The model is never trusted with Chinese units (it turns 15万欧元 into "€15 million"): before
translation each figure span in the Chinese is replaced by its deterministic English rendering
(1741亿美元 -> US$174.1 billion) and each known entity by its English name, so the model copies
values instead of converting them (``prepare``). Then every number in the output must match a
figure of the fact sheet (``checks``); a mismatch is retried once with the values spelled out,
and otherwise the sentence is dropped (or, for the title, rebuilt from rules) (``writer``).
Article text is only ever the user message to translate: it cannot change the instructions.

``models`` is the registry, pull and load; ``generation`` the transformers backend and the cache.
torch and transformers are the optional ``writer`` extra: nothing here imports them until a
model is loaded, and a missing extra is a one-line :class:`ExtraMissing`.
"""

from __future__ import annotations

from ..resources import Resources, default_resources
from ..settings import Settings
from ..terms import load_glossary, load_terms
from .checks import load_common_words, numbers_in
from .generation import GenerationCache, Generator, TransformersGenerator
from .models import ExtraMissing, ModelError, require_writer_extra, resolve
from .prepare import substitute
from .writer import Writer

__all__ = [
    "ExtraMissing",
    "GenerationCache",
    "Generator",
    "ModelError",
    "TransformersGenerator",
    "Writer",
    "default_writer",
    "load_glossary",
    "numbers_in",
    "substitute",
]


def default_writer(
    model: str | None = None,
    *,
    sentences: int = 5,
    batch_size: int = 8,
    use_cache: bool = True,
    settings: Settings | None = None,
    resources: Resources | None = None,
    hints: bool = False,
    background: bool = False,
) -> Writer:
    """The writer with the default (or given) model and the persistent cache in NEWSBRIEF_HOME.
    With `background`, the model loads on a thread (``TransformersGenerator.in_background``): a
    model that is not installed fails here, one that cannot be loaded at the first generation."""
    settings = settings or Settings.from_env()
    resources = resources or default_resources(settings)
    require_writer_extra()
    load = TransformersGenerator.in_background if background else TransformersGenerator.from_ref
    generator = load(resolve(model, settings), batch_size=batch_size)
    cache = GenerationCache(settings.generation_cache) if use_cache else None
    return Writer(generator, cache, sentences=sentences, glossary=load_glossary(resources),
                  common_words=load_common_words(resources), terms=load_terms(resources), resources=resources,
                  hints=hints)
