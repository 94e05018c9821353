"""The writer's meaning checks (pipeline/writer/meaning.py) and the key facts stated by rule
(pipeline/keyfacts.py). Every sentence here was written for these tests; none is from an article."""

from __future__ import annotations

import pytest

from pipeline import brief_text
from pipeline.writer.meaning import SentencePair, meaning_problems, names_only
from pipeline.writer.sentence_names import named_in


def problems(source: str, english: str, check: str, **context) -> list[str]:
    return meaning_problems(SentencePair(source, english, **context), checks=(check,))


# -- polarity


def test_a_negation_the_english_drops_is_found():
    assert problems("监管层并未放松对跨境平台的要求。", "Regulators loosened requirements for cross-border platforms.",
                    "polarity")
    assert problems("该公司尚未公布具体的融资金额。", "The company has announced the amount of the financing.",
                    "polarity")


def test_a_negation_the_english_adds_is_found():
    assert problems("该平台上调了佣金比例。", "The platform did not raise its commission rate.", "polarity")


@pytest.mark.parametrize(("source", "english"), [
    ("监管层并未放松对跨境平台的要求。", "Regulators have not loosened requirements for cross-border platforms."),
    ("该公司尚未公布具体的融资金额。", "The company has yet to disclose the amount; it hasn't said when."),
    ("卖家数量不断增加。", "The number of sellers keeps increasing."),  # 不断 'continuously' negates nothing
    ("物流体系的稳定性不可或缺。", "A stable logistics system is indispensable."),  # negated by its form
    ("这不仅是价格问题，也是服务问题。", "This is not only a question of price but also of service."),
    ("平台排名第3。", "The platform ranks No. 3."),
    ("便宜不便宜，关键看运费。", "Whether it is cheap depends on the shipping cost."),  # A不A: whether or not
])
def test_polarity_stays_silent_on_a_faithful_english(source, english):
    assert problems(source, english, "polarity") == []


# -- direction


def test_a_change_turned_round_is_found():
    assert problems("一季度出口同比增长12%。", "Exports fell 12% year on year in the first quarter.", "direction")
    assert problems("出口同比转为负增长。", "Exports turned to growth year on year.", "direction")
    assert problems("平台佣金收入同比下降8%。", "Commission revenue rose 8% year on year.", "direction")


def test_a_slowing_of_growth_said_as_a_fall_is_found():
    assert problems("营收同比增速由35%放缓至18%。", "Revenue saw an 18% decline.", "direction")


@pytest.mark.parametrize(("source", "english"), [
    ("营收同比增速由35%放缓至18%。", "Revenue growth slowed from 35% to 18% year on year."),
    ("出口同比增长12%，进口下降3%。", "Exports rose 12% while imports fell 3%."),
    ("一季度出口同比增长12%。", "First-quarter exports reached 12% more than a year earlier."),
    ("公司在深圳设立了新的研发中心。", "The company set up a new research centre in Shenzhen."),  # 'set up' is no rise
    ("退货率没有下降。", "The return rate did not fall."),
])
def test_direction_stays_silent_on_a_faithful_english(source, english):
    assert problems(source, english, "direction") == []


# -- modality and tense


def test_a_possibility_or_plan_said_as_fact_is_found():
    assert problems("该模式或将于下月关闭。", "The model closes next month.", "modality")
    assert problems("公司拟在香港上市。", "The company listed in Hong Kong.", "modality")


def test_a_fact_said_as_a_possibility_or_a_future_is_found():
    assert problems("平台上线了新的物流服务。", "The platform may have launched a new logistics service.", "modality")
    assert problems("Temu再开两国站点。", "Temu will open sites in two more countries.", "modality")
    # A headline in parts: the future one part may say does not cover another.
    assert problems("平台要在中东扩张：Temu再开两国站点",
                    "The platform aims to expand in the Middle East: Temu will open sites in two more countries",
                    "modality")
    assert problems("平台要在中东扩张：Temu再开两国站点",
                    "The platform will expand in the Middle East: Temu opens sites in two more countries",
                    "modality") == []


def test_a_done_deed_said_as_future_is_found():
    # 将 here marks the object (put 3 platforms on the list), not the future; 昨日 dates it.
    assert problems("监管部门昨日将3家平台纳入名单。", "Regulators will add 3 platforms to the list.", "modality")
    assert problems("该公司发布了财报。", "The company will release its results.", "modality", past_date=True)


def test_a_pause_said_as_an_end_is_found():
    assert problems("该平台暂停了英国站的招商。", "The platform ended recruitment on its UK site.", "modality")


@pytest.mark.parametrize(("source", "english"), [
    ("该模式或将于下月关闭。", "The model may close next month."),
    ("公司拟在香港上市。", "The company plans to list in Hong Kong."),
    ("公司表示将推出新品。", "The company said it will launch new products."),  # 表示…将 is a plan
    ("监管部门昨日将3家平台纳入名单。", "Regulators added 3 platforms to the list yesterday."),
    ("该平台暂停了英国站的招商。", "The platform suspended recruitment on its UK site."),
    ("平台上线了新的物流服务。", "The platform launched a new logistics service."),
])
def test_modality_stays_silent_on_a_faithful_english(source, english):
    assert problems(source, english, "modality") == []


# -- coverage


def test_a_contracted_list_must_be_said_whole():
    assert problems("京津冀地区的仓储需求增长。", "Warehousing demand in Beijing grew.", "coverage")
    assert problems("京津冀地区的仓储需求增长。", "Warehousing demand in Beijing, Tianjin and Hebei grew.",
                    "coverage") == []
    assert problems("该代理商服务欧美品牌。", "The agent serves European brands.", "coverage")
    assert problems("该代理商服务欧美品牌。", "The agent serves European and American brands.", "coverage") == []


def test_a_listed_member_and_a_speaker_come_from_the_articles_entities():
    brief = brief_text("亚马逊和沃尔玛扩大仓储\n\n亚马逊、沃尔玛和塔吉特均扩大了在美国的仓储。"
                       "亚马逊表示，新仓库将在年底启用。\n")
    sentence = brief.sentences[0].text
    names = named_in(sentence, brief.entities)
    assert len(names.lists) == 1 and len(names.lists[0]) == 3 and not names.speakers
    missing = problems(sentence, "Amazon and Walmart expanded warehousing in the US.", "coverage", names=names)
    assert missing and "Target" in missing[0]
    assert problems(sentence, "Amazon, Walmart and Target expanded warehousing in the US.", "coverage",
                    names=names) == []
    claim = brief.sentences[1].text
    names = named_in(claim, brief.entities)
    assert [s.chinese for s in names.speakers] == ["亚马逊"]
    assert problems(claim, "The new warehouses will open at the end of the year.", "coverage", names=names)
    for said in ("Amazon said the new warehouses will open at the end of the year.",
                 "The new warehouses will open at the end of the year, it said."):
        assert problems(claim, said, "coverage", names=names) == []


def test_an_event_the_source_reports_must_be_said():
    assert problems("无论是海外仓的关闭还是直播业务的收缩，都显示公司在收缩战线。",
                    "Both the overseas warehouse and live streaming show the company retreating.", "coverage")
    assert problems("无论是海外仓的关闭还是直播业务的收缩，都显示公司在收缩战线。",
                    "The closure of the overseas warehouse and shrinking live streaming show it retreating.",
                    "coverage") == []


# -- qualifier: when, what and where a figure counts


def test_the_time_frame_of_a_figure_must_be_said():
    assert problems("印尼站单日GMV突破1000万美元。", "Indonesia's GMV exceeded US$10 million.", "qualifier")
    assert problems("上半年公司营收为18亿元。", "The company's revenue was RMB 1.8 billion in 2024.", "qualifier")
    assert problems("前三季度出口额达到120亿元。", "Exports reached RMB 12 billion.", "qualifier")


def test_what_a_figure_counts_must_be_said():
    assert problems("该应用在印尼的下载量约2亿次。", "The app has about 200 million users in Indonesia.", "qualifier")
    assert problems("公司毛利润同比增长6%。", "The company's gross margin rose 6% year on year.", "qualifier")
    assert problems("平台订单量同比下降65%。", "The platform's transaction value fell 65% year on year.", "qualifier")


def test_the_place_of_a_figure_must_be_said():
    brief = brief_text("社交电商报告\n\n在印尼，超过70%的社交电商卖家使用直播带货。"
                       "这一比例高于东南亚其他市场，卖家普遍认为直播的转化效果更好。\n")
    sentence = brief.sentences[0]
    context = {"names": named_in(sentence.text, brief.entities),
               "figures": [f for f in brief.figures if sentence.start <= f.start < sentence.end]}
    assert problems(sentence.text, "Over 70% of social e-commerce sellers use live streaming.", "qualifier", **context)
    assert problems(sentence.text, "In Indonesia, over 70% of social e-commerce sellers sell through live streams.",
                    "qualifier", **context) == []


@pytest.mark.parametrize(("source", "english"), [
    ("印尼站单日GMV突破1000万美元。", "Indonesia's GMV topped US$10 million in a single day."),
    ("印尼站单日GMV突破1000万美元。", "Daily GMV on the Indonesian site exceeded US$10 million."),
    ("上半年公司营收为18亿元。", "The company's revenue was RMB 1.8 billion in the first half."),
    ("上半年公司营收为18亿元。", "H1 revenue came to RMB 1.8 billion."),
    ("前三季度出口额达到120亿元。", "Exports reached RMB 12 billion in the first nine months."),
    ("该应用在印尼的下载量约2亿次。", "The app has been downloaded about 200 million times in Indonesia."),
    ("公司毛利润同比增长6%。", "The company's gross profit rose 6% year on year."),
    ("平台订单量同比下降65%。", "Orders on the platform fell 65% year on year."),
    ("上半年公司推出了新品牌。", "The company launched a new brand."),  # no figure: nothing to qualify
    ("单日最高曾有上百人排队，公司共有员工300名。", "The company has 300 staff."),  # the qualifier's clause unsaid
])
def test_qualifier_stays_silent_on_a_faithful_english(source, english):
    assert problems(source, english, "qualifier") == []


def test_a_claim_given_to_who_only_learned_of_the_news_is_put_right_by_rule():
    from pipeline.writer.repair import learned_not_said

    assert learned_not_said("36Kr has announced that NORTHWIND completed a round.") == \
        "36Kr learned that NORTHWIND completed a round."
    for unchanged in ("Sellers Weekly reported NORTHWIND's round.", "NORTHWIND completed a round, 36Kr learned."):
        assert learned_not_said(unchanged) == unchanged


def test_a_name_the_source_writes_in_latin_letters_is_copied():
    brief = brief_text("Northwind收购Lumen\n卖家周刊 2024-08-02 20:15\n\n据外媒Shop-Insider报道，Northwind将收购Lumen。"
                       "该交易预计在第三季度完成。\n")
    names = named_in(brief.sentences[0].text, brief.entities)
    assert "Shop-Insider" in names.latin
    source = brief.sentences[0].text
    assert problems(source, "According to insider reports from shops, Northwind will acquire Lumen.", "coverage",
                    names=names)
    assert problems(source, "According to Shop-Insider, Northwind will acquire Lumen.", "coverage", names=names) == []


def test_a_claim_given_to_a_name_that_only_learned_of_it_is_found():
    brief = brief_text("北风跨境完成融资\n卖家周刊 2024-08-02 20:15\n\n"
                       "卖家周刊获悉，跨境品牌NORTHWIND日前宣布完成500万美元融资。NORTHWIND表示资金将用于供应链。\n")
    source = brief.sentences[0].text
    names = named_in(source, brief.entities)  # the outlet that learned of it is no entity
    assert problems(source, "Sellers Weekly has announced that NORTHWIND completed a US$5 million round.",
                    "attribution", names=names)
    for faithful in ("Sellers Weekly learned that NORTHWIND has announced a US$5 million round.",
                     "NORTHWIND announced a US$5 million round, Sellers Weekly learned."):
        assert problems(source, faithful, "attribution", names=names) == []


def test_a_target_said_as_the_base_of_a_change_is_found():
    brief = brief_text(TARGET)
    sentence = brief.sentences[0]
    own = [f for f in brief.figures if sentence.start <= f.start < sentence.end]
    wrong = "Next year's GMV target is RMB 12 billion, up from RMB 12 billion this year."
    right = "Next year's GMV target is RMB 12 billion, double this year's."
    assert problems(sentence.text, wrong, "direction", figures=own)
    assert problems(sentence.text, right, "direction", figures=own) == []
    grown = brief.sentences[1]
    own = [f for f in brief.figures if grown.start <= f.start < grown.end]
    assert problems(grown.text, "Sellers grew from 461 in 2019 to over 500 now.", "direction", figures=own) == []


def test_an_answer_that_echoes_the_instructions_is_no_translation():
    from pipeline.writer.prompts import echoes_instructions

    assert echoes_instructions("Plans, forecasts and possibilities as such (may, plans to, is expected to) and "
                               "what has already happened as done.")
    assert not echoes_instructions("The platform plans to list in Hong Kong, as it has already said.")


def test_a_title_of_names_alone_says_nothing_of_what_happened():
    names = {"Shanghai", "International", "Film", "Festival", "SHEIN"}
    assert names_only("Shanghai International Film Festival", names)
    assert names_only("The Shanghai International Film Festival", names)
    assert not names_only("Shanghai International Film Festival Opens Online", names)
    assert not names_only("SHEIN: Is It Worth US$100 Billion?", names)


# -- key facts


def test_key_facts_state_figures_by_rule_with_what_they_measure_whose_and_when():
    brief = brief_text(EARNINGS)
    facts = [fact.text for fact in brief.key_facts]
    assert "Net loss (Pinduoduo, Q2 2024): down from US$53.2 million to US$41.3 million" in facts
    assert "Revenue (Pinduoduo, Q2 2024): RMB 1.2 billion" in facts
    assert facts[-1] == "Who: Pinduoduo"
    assert not any("5 years" in f for f in facts)  # 未来 'future' is no measure
    for fact in brief.key_facts:
        assert all(0 <= i < len(brief.figures) for i in fact.figures)


def test_a_key_fact_needs_an_owner_and_never_states_a_figure_that_describes_something_else():
    brief = brief_text("平台净亏损收窄\n卖家周刊 2024-08-02 20:15\n\n"
                       "公司净亏损从5320万美元缩减至4130万美元。\n"  # whose net loss: the sentence does not say
                       "拼多多下架了售价低于100美元的商品，约有90%的拼多多活跃用户是26岁以下的年轻人。\n")
    facts = [fact.text for fact in brief.key_facts]
    assert not any("US$41.3 million" in f or "US$100" in f or "26 years" in f for f in facts)


def test_a_key_fact_from_an_estimate_or_a_report_says_so():
    brief = brief_text("拼多多营收或达千亿\n卖家周刊 2024-08-02 20:15\n\n"
                       "据媒体报道，拼多多2024年营收或达1000亿元。\n拼多多第二季度营收为12亿元。\n")
    fact = next(f.text for f in brief.key_facts if "RMB 100 billion" in f.text)
    assert "estimate" in fact


def test_a_key_fact_of_a_plan_says_it_is_a_target():
    brief = brief_text("拼多多计划扩张\n卖家周刊 2024-08-02 20:15\n\n"
                       "拼多多计划在未来三年内进入欧洲市场，营收达到500亿元。\n拼多多第二季度营收为12亿元。\n")
    fact = next(f.text for f in brief.key_facts if "RMB 50 billion" in f.text)
    assert "target" in fact
    brief = brief_text("拼多多营收增长\n卖家周刊 2024-08-02 20:15\n\n拼多多第二季度营收为12亿元，计划明年赴港上市。\n"
                       "拼多多第一季度营收为10亿元。\n")
    assert not any("target" in f.text for f in brief.key_facts)  # the plan comes after the figure


def test_a_reporter_in_a_byline_owns_no_figure():
    brief = brief_text("云帆营收增长\n\n新华社上海7月25日电（记者王海松）云帆电商第二季度营收为12亿元，同比增长8%。"
                       "（记者王海松）第三季度营收预计达到15亿元。\n")
    assert brief.key_facts and not any("Wang Haisong" in f.text or "Xinhua" in f.text for f in brief.key_facts)


def test_a_share_of_something_else_is_not_stated_as_the_measure():
    brief = brief_text("东南亚电商报告\n卖家周刊 2024-08-02 20:15\n\n"
                       "2023年，印尼电商销售额只占当年零售总额的20%。印尼电商销售额为500亿美元。"
                       "2024年泰国线上销售额增长明显，且线上销售额只占泰国当年零售总额的15%。\n")
    assert not any(f.text.endswith((": 20%", ": 15%")) for f in brief.key_facts)


# -- in the writer: retried with a note, then dropped, and counted


EARNINGS = ("拼多多第二季度净亏损收窄\n卖家周刊 2024-08-02 20:15\n\n拼多多第二季度营收为12亿元，同比增长8%。\n"
            "拼多多第二季度净亏损从5320万美元缩减至4130万美元。\n公司表示未来五年将继续发展。\n")
TARGET = ("拼多多GMV目标翻倍\n卖家周刊 2024-08-02 20:15\n\n"
          "拼多多明年的GMV目标为120亿元，比今年翻一番。平台卖家已从2019年的461家，增加到现在的500多家。\n")
REGULATION = ("跨境平台监管趋严\n卖家周刊 2024-08-02 20:15\n\n"
              "监管层并未放松对跨境平台的要求。\n"
              "多家平台表示将在下月调整佣金。\n")


def test_a_sentence_that_turns_a_negation_round_is_retried_with_a_note_then_dropped_and_counted():
    from pipeline.writer import Writer

    from .test_writer import Scripted

    def answer(conversation):
        user = conversation[-1]["content"]
        if "并未放松" in user:
            return "Regulators loosened requirements for cross-border platforms."  # twice: turned round
        if "调整佣金" in user:
            return "Several platforms said they will adjust commissions next month."
        return "Cross-border platforms face stricter regulation."

    brief = brief_text(REGULATION)
    writer = Writer(Scripted(answer), sentences=3)
    writer.write([brief])
    retried = [c[-1]["content"] for c in writer.generator.calls if "并未放松" in c[-1]["content"]]
    assert len(retried) == 2 and "Keep every negation" in retried[1]
    assert not any("loosened" in bullet for bullet in brief.summary_en)
    assert any("adjust commissions" in bullet for bullet in brief.summary_en)
    assert any(w.code == "writer-dropped" and "polarity" in w.message for w in brief.warnings)
    tally = brief.faithfulness.checks["polarity"]
    assert (tally.fired, tally.repaired, tally.dropped) == (1, 0, 1)


def test_a_retry_that_keeps_the_negation_ships_and_counts_as_repaired():
    from pipeline.writer import Writer

    from .test_writer import Scripted

    def answer(conversation):
        user = conversation[-1]["content"]
        if "并未放松" in user:
            return ("Regulators have not loosened requirements for cross-border platforms."
                    if "Keep every negation" in user else "Regulators loosened requirements.")
        return "Several platforms said they will adjust commissions next month."

    brief = brief_text(REGULATION)
    writer = Writer(Scripted(answer), sentences=3)
    writer.write([brief])
    assert "Regulators have not loosened requirements for cross-border platforms." in brief.summary_en
    tally = brief.faithfulness.checks["polarity"]
    assert (tally.fired, tally.repaired, tally.dropped) == (1, 1, 0)


def test_key_facts_are_rendered_in_the_terminal_markdown_and_digest():
    from rich.console import Console

    from pipeline.output import to_markdown
    from pipeline.output.markdown import digest_markdown
    from pipeline.output.terminal import BriefView

    brief = brief_text(EARNINGS)
    fact = next(f.text for f in brief.key_facts if "Net loss" in f.text)
    assert f"- {fact}" in to_markdown(brief) and "## Key facts" in to_markdown(brief)
    assert f"- {fact}" in digest_markdown([("yunfan", brief)])
    console = Console(record=True, width=200)
    console.print(BriefView(brief))
    assert fact in console.export_text()


def test_a_headline_said_as_future_is_put_in_the_present_by_rule():
    from pipeline.writer.repair import headline_present

    assert headline_present("TikTok Shop will add three more countries") == "TikTok Shop adds three more countries"
    assert headline_present("Etsy is set to acquire Depop") == "Etsy acquires Depop"
    assert headline_present("Prices will rise") == "Prices will rise"  # not a verb it knows: left to the checks


def test_eval_meaning_reports_each_checks_share_of_correct_pairs_flagged(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    source, reference = tmp_path / "pairs.zh", tmp_path / "pairs.en"
    source.write_text("监管层并未放松要求。\n一季度出口同比增长12%。\n", encoding="utf-8")
    reference.write_text("Regulators loosened requirements.\nExports rose 12% year on year in the first quarter.\n",
                         encoding="utf-8")  # the first 'reference' is wrong on purpose: one polarity alarm
    result = CliRunner().invoke(app, ["eval", "meaning", str(source), str(reference), "--errors"])
    assert result.exit_code == 0, result.output
    assert "polarity" in result.output and "1 of 2" in result.output and "50.0%" in result.output
    assert "line 1: polarity" in result.output
    missing = CliRunner().invoke(app, ["eval", "meaning", str(tmp_path / "none.zh"), str(reference)])
    assert missing.exit_code != 0 and "no such file" in missing.output


def test_a_publisher_without_english_keeps_its_name_whole_in_the_prompt():
    from pipeline.writer import Writer

    from .test_writer import Scripted

    brief = brief_text("跨境品牌完成融资\n卖家出海 2024-08-02 20:15\n\n"
                       "卖家出海获悉，跨境品牌NORTHWIND日前宣布完成500万美元融资。\n")
    assert brief.meta.source == "卖家出海" and not brief.meta.source_en
    writer = Writer(Scripted(lambda c: "Sellers Going Global learned that NORTHWIND raised US$5 million."), sentences=1,
                    glossary={"出海": "going global"})
    writer.write([brief])
    prompts = [c[-1]["content"] for c in writer.generator.calls]
    assert any("卖家出海" in p for p in prompts)  # not '卖家 going global 获悉'
    assert not any("going global" in p for p in prompts)


def test_a_headline_keeps_every_organisation_and_person_it_names():
    brief = brief_text("北风科技港交所上市 首日涨超40%\n卖家周刊 2024-08-02 20:15\n\n"
                       "北风科技8月1日在港交所上市，首日股价上涨40%。公司表示募集资金将用于海外市场拓展。\n")
    title = brief.meta.title
    names = named_in(title, brief.entities)
    assert problems(title, "Hong Kong Stock Exchange listing; first day up over 40%", "coverage", names=names,
                    headline=True)
    assert problems(title, "Beifeng Technology lists in Hong Kong; first day up over 40%", "coverage", names=names,
                    headline=True) == []
    assert problems(title, "Hong Kong Stock Exchange listing; first day up over 40%", "coverage", names=names) == []


def test_a_place_inside_another_word_is_no_place_of_the_figure():
    brief = brief_text("沿海降雨报告\n\n据报道，沿海地区的降雨量预计达到12英寸，海地也将出现降雨。"
                       "气象部门提醒居民注意防范，海地政府已发布预警。\n")
    sentence = brief.sentences[0]
    context = {"names": named_in(sentence.text, brief.entities),
               "figures": [f for f in brief.figures if sentence.start <= f.start < sentence.end]}
    assert problems(sentence.text, "Rainfall in coastal areas is expected to reach 12 inches.", "qualifier",
                    **context) == []
