"""Named entities with trustworthy English names.

No Chinese NER model is installed, so the stage combines sources it owns, as spaCy components
over the jieba-segmented Doc (``components``): the gazetteer (``gazetteer``), Latin-script
names, patterns and jieba's part-of-speech tags, with the word lists of ``vocabulary`` read
from ``corpus/lexicon/entities/``. :class:`EntityExtractor` (``extractor``) merges and names
them; ``roles`` finds stated roles and ``naming`` gives flagged pinyin names.
"""

from .components import DEFAULT_ENTITY_PIPES, ENTITY_PIPES
from .extractor import EntityExtractor
from .gazetteer import Gazetteer, GazetteerEntry, load_gazetteer
from .naming import chinese_name_pinyin, org_pinyin
from .vocabulary import EntityVocabulary, load_vocabulary

__all__ = [
    "DEFAULT_ENTITY_PIPES",
    "ENTITY_PIPES",
    "EntityExtractor",
    "EntityVocabulary",
    "Gazetteer",
    "GazetteerEntry",
    "chinese_name_pinyin",
    "load_gazetteer",
    "load_vocabulary",
    "org_pinyin",
]
