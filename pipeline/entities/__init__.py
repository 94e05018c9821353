"""Named entities with trustworthy English names.

No Chinese NER model is installed, so the stage combines sources it owns, as spaCy components
over the jieba-segmented Doc (``components``): the gazetteer (``gazetteer``), Latin-script
names, patterns and jieba's part-of-speech tags, with the word lists of ``vocabulary`` read
from ``corpus/lexicon/entities/``. :class:`EntityExtractor` (``extractor``) merges and names
them; ``roles`` finds stated roles and ``naming`` gives flagged pinyin names.

The stage in full

entities (`pipeline/entities/` (`vocabulary`, `gazetteer`, `recogniser`, `components`, `extractor`, `roles`,
    `naming`), `pipeline/dictionary.py`): spaCy components over the jieba Doc: an EntityRuler fed by the
    gazetteer (`corpus/gazetteer/gazetteer.tsv`, plus ISO country names from pycountry), Latin-script names,
    a **trained character-level recogniser** (`models/ner/recogniser.npz`: dilated convolutions + CRF over
    characters, bigrams, jieba word boundaries and CC-CEDICT names, trained on MSRA and CLUENER train by
    `scripts/train_ner.py`, run with numpy), patterns (titles next to names, 中美/访华, and …有限公司,
    …州/省/市 where the recogniser does not run; where it runs, a company word after a coined brand in which
    CC-CEDICT knows no word: 循物科技, 峰瑞资本, never 航空公司 or 平台科技公司) and, optionally, the Doc's
    part-of-speech tags (off by default: measured worse beside the recogniser), with word lists read from
    `corpus/lexicon/entities/`; merged mentions (gazetteer, Latin, recogniser, patterns, in that order; an
    organisation the recogniser finds around a place is one name when its ending says so (南京市社会福利院),
    else the place and a known name stay two (韩国现代); a place plus a common noun is only the place
    (香港资本)), English names (gazetteer → CC-CEDICT proper noun (汇丰银行 → HSBC, an acronym in brackets
    only when it is the initials of the gloss's words: 众议院 'House of Representatives (USA)' → House of
    Representatives; a place at the level the article writes: 番禺 → Panyu) → Latin as written → brackets in
    the text → pinyin, flagged `english_source: "pinyin"`, with the words inside the name that our data
    knows in English (上海外高桥集团森兰置地 → Shanghai Waigaoqiao Group Senlan Land; a name of known words
    only, 上海市委 → Shanghai Municipal Party Committee, is not flagged); never invented); items listed
    between found names take their type (网易暴雪、完美世界、盛趣游戏等: 完美世界 and 盛趣游戏 are
    organisations; 93% of such items are names of the list's type on MSRA train); a guessed person one
    character longer than a person found twice elsewhere is trimmed (张珂称 → 张珂); a recognised
    organisation named like an event (…电影节, …博览会) is an `EVENT`; a one-character place is its
    abbreviated country, province or city (美 → United States, 陕 → Shaanxi), and a one-character place or
    organisation guess that abbreviates none is dropped (云 in “云经济”); a span never starts or ends with a
    dash, comma or middle dot, and a quote mark without its pair inside cuts it to the quoted piece
    (“链家地产”市场研究部 → 链家地产; “幸福工程”组委会 stays whole); a guessed person or place that
    CC-CEDICT knows only as a common word (芬太尼 "fentanyl") is dropped; stated roles (TikTok美国电商总经理
    → "general manager of TikTok's US e-commerce business"), salience
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
