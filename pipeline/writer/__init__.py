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

What the English checks guarantee

Every English field is checked before it ships; what fails is retried once with notes, then left out with a
warning (`writer-dropped`, `writer-title`, `writer-no-english`), never shipped flagged:

- **No Chinese in any English field** (`title_en`, `summary_en`, figure `subject_en`, entity `english` and
  `role_en`, keyword `english`, `meta.source_en`). The default model cannot write Chinese at all: its
  decoding never picks a token that writes CJK characters (a mask over the vocabulary,
  `decoding.cjk_token_mask`), so it translates in context the words it used to copy ('rural眉山', '值守').
  For another model, or one run without the mask: Chinese the model copies that the fact sheet already has
  English for (a name, a glossary or business term, a CC-CEDICT word) is put into English; what is still
  Chinese after the retry is translated span by span on its own (again as a short phrase when the
  translator's prompt copies a span back or explains it) and put in (the model copies a word it skipped
  inside a sentence); a span whose English has Chinese or a number of its own fails the sentence, as does
  anything else. Markdown, the digest and `figures.csv` show the English fields only.
- **Datelines** (`Chengdu, 26 July (Xinhua) — `) are not the model's: they are put together by rule from
  checked parts of the fact sheet (the date figure, the place entity, the agency list) and set before the
  bullet; the checks below read the model's English after it.
- **Numbers:** each number in a bullet is a figure of the very sentence the bullet translates
  (`summary_sources` gives that sentence for each bullet), or a number written in that sentence (an
  afternoon clock time may be said on a 12-hour clock: 17:34 → `5:34 p.m.`; a 24-hour time loses a 12-hour
  mark the model adds, `15:30 PM` → `15:30`); a title's, of the title. Not merely "somewhere in the
  article". Numbers spelt in words are read as numbers too, with a scale word after them as digits are
  (`three years`, `the twenty-third edition`, `five million`): "the second edition" for 第二十三届 fails
  like a wrong digit; not "two" (mostly a pair the source names without a numeral: 中美, "the two
  countries"), "one"/"first", second-hand, the second half or third-party. A range the source gives only as
  an order of magnitude (数千万元) allows its bounds, so "ten million yuan" would pass: where the English
  says the lower bound once with its unit, the fact sheet's "tens of millions of yuan" is put back first.
- **Relations:** each figure of the sentence keeps what the fact sheet says of it: its direction (no "fell"
  for 增长), both ends of a change in order (`down from US$53.2 million to US$41.3 million`, never "reduced
  by US$53.2 million", nor "reduced by US$53.2 million … to US$41.3 million", whose "by" is put right to
  "from" by rule where each end is said once), and its comparison (a year-on-year figure is still year on
  year, and not also "from Q3 2023" of its own year or "from the previous quarter"; 环比 is month on month
  or quarter on quarter as the text names months or quarters before it; where the model left the comparison
  out and says the figure once, the rule puts it back right after the figure, `rose 11% to 985,000` → `rose
  11% year on year to 985,000`, before the checks run). A qualifier the English lost or changed is put back
  the same way, by rule, right before the figure (不到30% said as "approximately 30%" becomes `under 30%`;
  超过, 近, 至少, 多达/最高 likewise; 约 may go unsaid), and a qualifier the source does not give is taken
  out of a money, percent or count figure said once ("a nearly US$5 million round" for 500万美元 → `a US$5
  million round`; not "over", which may say "during"). A figure the bullet leaves out is asked for again,
  but a bullet that says less is not dropped for it.
- **Units:** a number followed by a unit of measure has the figure's unit, in any spelling (`square meters`
  for 平方米): the model converts and invents units (60多亩 as "60 acres" rather than `over 60 mu`, 16条 as
  "a 16-mile route"), which is retried with a note, then dropped.
- **Dates:** a month or weekday the English names is one the source names (7月, 星期五, 2020-07-26) or one
  the fact sheet's date English put into the prompt (`26 July`); a guess (`December 26th` for 26日, `on
  Monday` for 本星期早些时候 'earlier this week') is retried, then dropped.
- **Names:** each capitalised name in the title and bullets traces to an entity of the article (its English,
  a Latin mention, initials such as CIIE), to the text itself, or to the English of the source sentence's
  CC-CEDICT words (国家统计局 → National Bureau of Statistics). A model-given name for an entity known only
  in pinyin is kept only when its words are that pinyin or the English of its characters (光云科技 →
  Guangyun Technology, not "Guesty"); for a transliterated name, the model's usual English is kept when its
  consonants can be the ones the characters write (`pipeline/writer/sounds.py`: 博索纳罗 → Bolsonaro, 迈希希
  → Mechichi; never "Lula"; the pinyin run together, 傅昆宝 "Fukunbao", is the pinyin back and changes
  nothing). A word traces through its stem (领袖 "leader": International Leadership Foundation; 筑 "build":
  Building; 印尼: Indonesian), each part of a hyphenated word on its own (American-based), and an ordinal or
  number word where the source writes that number (第三届: the Third China International Import Expo).
- **Meaning** (`pipeline/writer/meaning.py`; the cues in both languages are
  `corpus/lexicon/meaning_cues.tsv`): what the English says must not turn round what the Chinese sentence
  says, where no number shows it.
  - *Polarity:* each negation of the source (并未, 尚未, 不, 无法, 拒绝 …) has one in the English (not,
    never, no, fail, unable, or a word negative by its form: unstable), and the English adds none the source
    lacks. 不断 'continuously', 不仅 'not only' and 不可或缺 'indispensable' are no negations (Chinese cues
    count only as whole jieba words).
  - *Direction:* a rise stays a rise and a fall a fall (出口同比转为负增长 is no "turned to growth"); a
    slowing of growth (增速由35%放缓至18%) is said as a slowing, never as "an 18% decline"; and a number the
    English makes the start of a change ("up from RMB 12 billion") must be a start the source gives (从, 由,
    较 before it, or a change from it), not the target.
  - *Modality and tense:* a possibility or forecast (或将, 可能, 预计, 有望) keeps its may, expected,
    reportedly; a plan (拟, 计划, 将于) keeps its plans to or will; a fact gains no "may" and no "will" (a
    headline's 再添三国 is "adds", and a headline's "will add" is put in the present by rule); a deed the
    source dates before the publish date or marks as done (昨日, 已) is not "will"; a pause (暂停) is no
    end.
  - *Coverage:* every member of a list the source names (A、B和C, found from the entities) and of a list one
    word contracts (京津冀 Beijing, Tianjin and Hebei; 欧美 Europe and the US) is in the English, as are the
    speaker of a claim (王海松表示: "Wang Haisong said", or "he said"), words the source writes in Latin
    letters (EU-Startups, Pre-A) and the event the sentence reports (关闭, 收购, 上市, 裁员, 取消, 暂停 …:
    closed, acquired, listed, laid off …). In a headline, every organisation and person it names is said
    (蜜雪冰城港交所上市 as "Hong Kong Stock Exchange listings" has lost who listed).
  - *Attribution:* the English gives no claim to someone who only learned of the news ("36Kr has announced
    that" for 36氪获悉, where the brand announced it: put right by rule to "36Kr learned that") or to a name
    the sentence does not name. A publisher with no English name of its own reaches the model as written: no
    glossary term is put inside it (36氪出海 is no "36Kr going global").
  - *Qualifier:* in each clause of the source whose figure the English carries, the English says the
    figure's time frame (单日, 一天 "in a day", 上半年 "the first half", 前三季度, 月均), what it counts
    (下载量 "downloads", not users; 毛利润 "gross profit", not margin; 订单, 估值, 市值, 粉丝, 播放量) and
    the places the sentence names up to it (在印尼，超过70%…: "in Indonesia").

    Each check is measured for false alarms on correct translations, the 1,874 human references of
    newstest2021 (`newsbrief eval meaning ../shared/mt/newstest2021.zh-en.{zh,en}`; its 96 headlines get
    the headline checks): polarity 0.5%, direction 0.2%, modality 2.1%, coverage 4.3%, attribution 0.0%,
    qualifier 1.2% of the pairs flagged (most of coverage's and qualifier's are names the entity stage reads
    wrongly; attribution can only be measured there on names that learned
    of the news, since a reference pair has no article around it). Their failures are retried once with a
    note naming what to keep ("Name each of these as the text does: Thailand"), then dropped; an answer that
    repeats the instructions instead of translating fails too. `brief.faithfulness.checks` counts per check
    how often it fired, was mended by the retry and dropped an output; `newsbrief eval english` sums them.
- **Whole answers:** a title's or sentence's answer may be as long as its source needs (96 tokens, or 1.25
  per character of the prepared text, up to 256: at a flat 96, 4 of the first 200 newstest2021 answers
  stopped mid-sentence, "… and had evaded tax by approximately RMB"); an answer that fills its budget
  stopped mid-sentence or ran on (a 42-character headline answered with a paragraph about a fire in Nice),
  and is retried, then dropped.
- **Titles:** put into English clause by clause (``prepare.title_parts``: a Chinese headline runs its
  clauses together with commas and spaces, and asked whole the model invents links between them: "the
  transformation … will be completed by acquiring"); the clauses are joined with "; " (": " after a colon),
  a title the model wrote in title case is put in sentence case before the names check, and each clause is
  held to every check above. A side clause that fails is left out; a title whose main (longest) clause
  fails, or made of the article's names alone (a festival's name, which says who but not what happened),
  is rebuilt from checked English:
  the lead bullet when it is short, else the organisation or person the headline names with the headline's
  (or the lead sentence's) figure, else the key fact about what the headline names (净亏损 in
  第二季度净亏损收窄), else the short bullet that best repeats the headline's words; never a figure from
  elsewhere in the article (a film festival's brief was titled with a count of coronavirus cases from a
  later paragraph).
- **Key facts** (`pipeline/keyfacts.py`, the `key_facts` component): lines stated by rule from the fact
  sheet, with no model output: a figure's deterministic English with what it measures (only where the
  subject ends in a measure, `corpus/lexicon/metric_heads.txt`, and its English comes from the glossary, the
  business terms or the dictionary), whose it is (the organisation the sentence names before it; a figure
  whose owner the text does not say is no key fact; never a news agency or a name in a bracketed byline),
  its period, its change, and "estimate", "target" or "reported" where the sentence forecasts, plans
  before the figure or cites reports; a figure that only describes something else (售价低于100美元的商品),
  a percentage of something else (占零售总额的20%) or one that shares its clause with another figure is
  none. Then "Who:", the
  organisations and people the article is about. `Revenue (ThredUp, Q2 2023): US$82.7 million, up 8.2%`.
- Not guaranteed: that a sentence's other facts are right (the wrong sense of a word, who did what to whom
  where both are named, a qualifier left out), good style, or that a dropped sentence was not the most
  important one (the README's figures say how often). `newsbrief eval english FILES`
  re-checks all of the above from the outside, per article.

The stage in full

writer (`pipeline/writer/` (`prepare`, `dateline`, `prompts`, `generation`, `decoding`, `int4`, `checks`,
    `sounds`, `writer`, `assemble`, `repair`, `hints`, `models`)): the optional `writer` extra: selects key
    sentences (the lead first, then the sentence that best repeats the headline, then by figures, names and
    keywords), sets a wire dateline apart and renders it by rule (`新华社成都7月26日电（记者毛鑫）` →
    `Chengdu, 26 July (Xinhua, Mao Xin) — `: the date figure's English, the place entity's, the agency's
    from `corpus/lexicon/news_agencies.tsv`, reporters only when every one is a named person), replaces each
    figure by its deterministic English (and tells the model, after the sentence, what the fact sheet says
    of its figures' relations: `up 6% year on year`), each name by its English name (pinyin ones too;
    wherever the name recurs in the sentence, also where the recogniser did not mark it, for names of three
    characters or more) and each domain term by the glossary's (`corpus/lexicon/glossary.tsv`) before the
    model translates, batches generation across sentences and articles (the system prompt's keys and values
    computed once and shared; prompts read in groups of similar length, so padding is not read; a row that
    has finished leaves the batch; no token that writes CJK characters is ever picked; decoding steps on a
    4-bit copy of the weights and an 8-bit copy of the output head, `models/README.md`), caches outputs by
    model checksum + decoding + prompt (`$NEWSBRIEF_HOME/cache/`), puts into English the phrases the terms
    stage left (short prompts, checked), asks the model for the usual English of names known only in pinyin
    (an organisation's or brand's kept when its words are the pinyin or the English of its characters; a
    transliterated person's, 博索纳罗 → Bolsonaro, when its consonants are the ones the characters write,
    `sounds`), and checks every output before it ships (see "What the English checks guarantee");
    `brief.faithfulness` says what was checked, repaired and dropped
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
