"""Synthetic graphs in ipgraph's vocabulary, of any size, for benchmarks and scale tests.

A seeded generator of realistic data that conforms to ``ontology/shapes.ttl``: a few agencies
(with Chinese names and acronyms), a region hierarchy (country, provinces, cities), concept and
organization-category schemes, and then, in proportion, many policy documents (issued jointly,
implementing earlier ones), programs (launched, carried out in regions, targeting categories),
organizations, statistical observations, and the passages and sources every fact derives from.
The same seed always gives the same graph; the size lands within a few percent of the request.

>>> lines = list(generate(400, seed=1))
>>> 360 <= len(lines) <= 440
True
>>> lines == list(generate(400, seed=1))
True
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

from ipgraph.vocab import ID, IPG, PREFIXES

__all__ = ["generate", "write"]

_RDF = str(PREFIXES["rdf"])
_RDFS = str(PREFIXES["rdfs"])
_SKOS = str(PREFIXES["skos"])
_PROV = str(PREFIXES["prov"])
_XSD = str(PREFIXES["xsd"])
_ORG = str(PREFIXES["org"])
_DCT = str(PREFIXES["dcterms"])
_IPG = str(IPG._NS)

_TYPE = f"<{_RDF}type>"
_LABEL = f"<{_RDFS}label>"
_ALT = f"<{_SKOS}altLabel>"
_IN_SCHEME = f"<{_SKOS}inScheme>"
_DERIVED = f"<{_PROV}wasDerivedFrom>"

_AGENCIES = [
    ("Intellectual Property Administration", "知识产权局", "IPA"),
    ("Ministry of Science and Technology", "科学技术部", "MOST"),
    ("Ministry of Commerce", "商务部", "MOFCOM"),
    ("Ministry of Agriculture", "农业部", "MOA"),
    ("Ministry of Culture", "文化部", "MOC"),
    ("Administration for Market Regulation", "市场监督管理局", "AMR"),
    ("Development and Reform Commission", "发展和改革委员会", "DRC"),
    ("Ministry of Justice", "司法部", "MOJ"),
]
_PROVINCES = [
    ("Anhui", "安徽省", "Province"),
    ("Fujian", "福建省", "Province"),
    ("Gansu", "甘肃省", "Province"),
    ("Guangdong", "广东省", "Province"),
    ("Hainan", "海南省", "Province"),
    ("Hebei", "河北省", "Province"),
    ("Henan", "河南省", "Province"),
    ("Hunan", "湖南省", "Province"),
    ("Jiangxi", "江西省", "Province"),
    ("Jilin", "吉林省", "Province"),
    ("Liaoning", "辽宁省", "Province"),
    ("Shaanxi", "陕西省", "Province"),
    ("Sichuan", "四川省", "Province"),
    ("Yunnan", "云南省", "Province"),
    ("Guangxi", "广西壮族自治区", "AutonomousRegion"),
    ("Ningxia", "宁夏回族自治区", "AutonomousRegion"),
    ("Tianjin", "天津市", "Municipality"),
    ("Chongqing", "重庆市", "Municipality"),
]
_TOPICS = [
    ("patent navigation", "专利导航", "Theme"),
    ("IP operation", "知识产权运营", "Theme"),
    ("IP pledge financing", "知识产权质押融资", "Theme"),
    ("technology transfer", "技术转移", "Theme"),
    ("brand building", "品牌建设", "Theme"),
    ("geographical indications", "地理标志", "IPType"),
    ("trademarks", "商标", "IPType"),
    ("patents", "专利", "IPType"),
    ("artificial intelligence", "人工智能", "TechnologyField"),
    ("biomedicine", "生物医药", "TechnologyField"),
    ("new materials", "新材料", "TechnologyField"),
    ("integrated circuits", "集成电路", "TechnologyField"),
]
_SCHEMES = {
    "Theme": "ThemeScheme",
    "IPType": "IPTypeScheme",
    "TechnologyField": "TechnologyFieldScheme",
}
_CATEGORIES = [
    ("universities", "高校"),
    ("SMEs", "中小企业"),
    ("research institutes", "科研院所"),
    ("IP service providers", "知识产权服务机构"),
    ("demonstration enterprises", "示范企业"),
    ("rural cooperatives", "农村合作社"),
]
_DOC_KINDS = [
    ("Notice", "Notice on", "关于{}的通知"),
    ("Opinion", "Guiding Opinions on", "关于{}的指导意见"),
    ("Guideline", "Guidelines for", "{}指南"),
    ("Plan", "Work Plan for", "{}工作方案"),
    ("Report", "Report on", "{}报告"),
]
_PROGRAM_KINDS = [
    ("Campaign", "campaign on", "专项行动"),
    ("PilotProject", "pilot project on", "试点"),
    ("SpecialPlan", "special plan on", "专项计划"),
    ("TrainingSession", "training on", "培训"),
    ("ServiceBase", "service centre for", "服务中心"),
    ("Mechanism", "cooperation mechanism on", "合作机制"),
]
_VERBS = [
    ("Promoting", "促进"),
    ("Strengthening", "加强"),
    ("Improving", "提升"),
    ("Supporting", "支持"),
]
_MEASURES = [
    ("contracts", "合同"),
    ("enterprises served", "服务企业"),
    ("funding", "资金"),
    ("applications", "申请"),
    ("transactions", "交易"),
    ("trainees", "培训人次"),
]
_UNITS = [("item", "件"), ("yuan", "元"), ("person", "人"), ("percent", "百分比")]
_QUALIFIERS = ["MoreThan", "Approximately", "Nearly", "Exactly"]


def _iri(kind: str, slug: str) -> str:
    return f"<{ID[f'{kind}/{slug}']}>"


def _ipg(name: str) -> str:
    return f"<{_IPG}{name}>"


def _lit(text: str, lang: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}'


def _typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{_XSD}{datatype}>'


def generate(triples: int, seed: int = 0) -> Iterator[str]:
    """N-Triples lines of a synthetic ipgraph data set of about ``triples`` triples.

    Args:
        triples: the size wanted (the result is within a few percent of it; at least ~100).
        seed: the random seed; the same seed gives the same lines.

    Yields:
        One N-Triples statement per line (no trailing newline).

    >>> next(generate(200, seed=3)).endswith(".")
    True
    """
    rng = random.Random(seed)
    budget = max(triples, 100)
    count = 0

    def emit(s: str, p: str, o: str) -> str:
        nonlocal count
        count += 1
        return f"{s} {p} {o} ."

    # -- provenance: one source per ~500 passages, passages on demand --------------------
    passages: list[str] = []
    sources: list[str] = []

    def new_passage() -> Iterator[str]:
        if not sources or len(passages) % 500 == 0:
            src = _iri("source", f"synth-{seed}-{len(sources)}")
            sources.append(src)
            year = 2015 + len(sources) % 8
            yield emit(src, _TYPE, _ipg("Source"))
            yield emit(src, _LABEL, _lit(f"Synthetic annual report {len(sources)}", "en"))
            yield emit(src, f"<{_DCT}title>", _lit(f"Synthetic annual report {len(sources)}", "en"))
            yield emit(src, _ipg("year"), _typed(year, "gYear"))
        number = len(passages)
        passage = _iri("passage", f"synth-{seed}-{number}")
        passages.append(passage)
        section, paragraph = divmod(number % 500, 25)
        yield emit(passage, _TYPE, _ipg("Passage"))
        yield emit(passage, _LABEL, _lit(f"Passage {section + 1:02d}.{paragraph + 1}", "en"))
        yield emit(passage, _ipg("inSource"), sources[-1])
        yield emit(passage, _ipg("section"), f'"{section + 1:02d}"')
        yield emit(passage, _ipg("paragraph"), _typed(paragraph + 1, "integer"))

    def cite() -> str:
        # Facts cite a recent passage (a few facts per paragraph, as in a real report).
        return passages[-1 - rng.randrange(min(3, len(passages)))]

    def scaled(per: int, low: int, high: int) -> int:
        return max(low, min(high, budget // per))

    # -- the fixed backbone, scaled to the size ----------------------------------------------
    yield from new_passage()
    agencies = []
    for i in range(scaled(4000, 3, len(_AGENCIES))):
        en, zh, acronym = _AGENCIES[i]
        iri = _iri("agency", f"synth-{i}")
        agencies.append(iri)
        yield emit(iri, _TYPE, _ipg("Ministry" if en.startswith("Ministry") else "Agency"))
        yield emit(iri, _LABEL, _lit(f"Synthetic {en}", "en"))
        yield emit(iri, _LABEL, _lit(f"合成{zh}", "zh"))
        yield emit(iri, _ALT, _lit(f"S{acronym}", "en"))
        yield emit(iri, _DERIVED, cite())
    country = _iri("region", f"synth-{seed}-country")
    yield emit(country, _TYPE, _ipg("Country"))
    yield emit(country, _LABEL, _lit("Synthetic country", "en"))
    yield emit(country, _DERIVED, cite())
    provinces = []
    for i in range(scaled(3000, 2, len(_PROVINCES))):
        en, zh, kind = _PROVINCES[i]
        iri = _iri("region", f"synth-{i}")
        provinces.append((iri, en, zh))
        yield emit(iri, _TYPE, _ipg(kind))
        yield emit(iri, _LABEL, _lit(f"{en} (synthetic)", "en"))
        yield emit(iri, _LABEL, _lit(f"合成{zh}", "zh"))
        yield emit(iri, _ipg("partOf"), country)
        yield emit(iri, _DERIVED, cite())
    regions = [iri for iri, _, _ in provinces]
    topics = []
    for i in range(scaled(3000, 2, len(_TOPICS))):
        en, zh, kind = _TOPICS[i]
        iri = _iri("concept", f"synth-{i}")
        topics.append((iri, en, zh))
        yield emit(iri, _TYPE, _ipg(kind))
        yield emit(iri, _LABEL, _lit(f"{en} (synthetic)", "en"))
        yield emit(iri, _LABEL, _lit(zh, "zh"))
        yield emit(iri, _IN_SCHEME, _ipg(_SCHEMES[kind]))
        yield emit(iri, _DERIVED, cite())
    categories = []
    for i in range(scaled(5000, 2, len(_CATEGORIES))):
        en, zh = _CATEGORIES[i]
        iri = _iri("category", f"synth-{i}")
        categories.append(iri)
        yield emit(iri, _TYPE, _ipg("OrganizationCategory"))
        yield emit(iri, _LABEL, _lit(f"{en} (synthetic)", "en"))
        yield emit(iri, _LABEL, _lit(zh, "zh"))
        yield emit(iri, _IN_SCHEME, _ipg("OrganizationCategoryScheme"))
        yield emit(iri, _DERIVED, cite())
    measures, units = [], []
    for i in range(scaled(20000, 1, len(_MEASURES))):
        en, zh = _MEASURES[i]
        iri = _iri("measure", f"synth-{i}")
        measures.append(iri)
        yield emit(iri, _TYPE, _ipg("Measure"))
        yield emit(iri, _LABEL, _lit(f"{en} (synthetic)", "en"))
        yield emit(iri, _IN_SCHEME, _ipg("MeasureScheme"))
    for i in range(scaled(30000, 1, len(_UNITS))):
        en, zh = _UNITS[i]
        iri = _iri("unit", f"synth-{i}")
        units.append(iri)
        yield emit(iri, _TYPE, _ipg("Unit"))
        yield emit(iri, _LABEL, _lit(f"{en} (synthetic)", "en"))
        yield emit(iri, _IN_SCHEME, _ipg("UnitScheme"))

    # -- the bulk: documents, programs, organizations, observations, cities --------------------
    documents: list[str] = []
    programs: list[str] = []
    organizations: list[str] = []
    step = 0
    while count < budget - 6:
        step += 1
        if step % 3 == 0:
            yield from new_passage()
        roll = rng.random()
        year = 2010 + rng.randrange(12)
        topic, topic_en, topic_zh = rng.choice(topics)
        province, province_en, province_zh = rng.choice(provinces)
        verb_en, verb_zh = rng.choice(_VERBS)
        if roll < 0.35:
            kind, prefix_en, pattern_zh = rng.choice(_DOC_KINDS)
            iri = _iri("document", f"synth-{seed}-{len(documents)}")
            title_en = (
                f"{prefix_en} {verb_en} {topic_en.title()} in {province_en} ({year})"
                f" No. {len(documents)}"
            )
            title_zh = (
                pattern_zh.format(f"{verb_zh}{province_zh}{topic_zh}")
                + f"({year}){len(documents)}号"
            )
            yield emit(iri, _TYPE, _ipg(kind))
            yield emit(iri, _LABEL, _lit(title_en, "en"))
            yield emit(iri, _LABEL, _lit(title_zh, "zh"))
            for issuer in rng.sample(agencies, rng.choice((1, 1, 1, 2, 2, 3))):
                yield emit(iri, _ipg("issuedBy"), issuer)
            yield emit(iri, _ipg("year"), _typed(year, "gYear"))
            yield emit(iri, _ipg("concerns"), topic)
            if rng.random() < 0.4:
                yield emit(iri, _ipg("targets"), rng.choice(categories))
            if documents and rng.random() < 0.5:
                yield emit(iri, _ipg("implements"), rng.choice(documents))
            if kind == "Plan":
                yield emit(iri, _ipg("validFrom"), _typed(year, "gYear"))
                yield emit(iri, _ipg("validUntil"), _typed(year + 5, "gYear"))
            yield emit(iri, _DERIVED, cite())
            documents.append(iri)
        elif roll < 0.65:
            kind, name_en, name_zh = rng.choice(_PROGRAM_KINDS)
            iri = _iri("program", f"synth-{seed}-{len(programs)}")
            yield emit(iri, _TYPE, _ipg(kind))
            yield emit(
                iri, _LABEL, _lit(f"{province_en} {name_en} {topic_en} #{len(programs)}", "en")
            )
            yield emit(iri, _LABEL, _lit(f"{province_zh}{topic_zh}{name_zh}{len(programs)}", "zh"))
            yield emit(iri, _ipg("launchedBy"), rng.choice(agencies))
            if organizations and rng.random() < 0.5:
                yield emit(iri, _ipg("carriedOutBy"), rng.choice(organizations))
            if rng.random() < 0.3:
                yield emit(iri, _ipg("inCooperationWith"), rng.choice(agencies))
            place = province if rng.random() < 0.8 else rng.choice(regions)  # named after it
            yield emit(iri, _ipg("carriedOutIn"), place)
            yield emit(iri, _ipg("year"), _typed(year, "gYear"))
            yield emit(iri, _ipg("concerns"), topic)
            yield emit(iri, _ipg("targets"), rng.choice(categories))
            if documents and rng.random() < 0.6:
                yield emit(iri, _ipg("implements"), rng.choice(documents))
            yield emit(iri, _DERIVED, cite())
            programs.append(iri)
        elif roll < 0.80:
            iri = _iri("org", f"synth-{seed}-{len(organizations)}")
            yield emit(iri, _TYPE, _ipg("Organization"))
            yield emit(
                iri, _LABEL, _lit(f"{province_en} {topic_en} centre {len(organizations)}", "en")
            )
            yield emit(iri, _LABEL, _lit(f"{province_zh}{topic_zh}中心{len(organizations)}", "zh"))
            if rng.random() < 0.3:
                yield emit(iri, f"<{_ORG}subOrganizationOf>", rng.choice(agencies))
            yield emit(iri, _DERIVED, cite())
            organizations.append(iri)
        elif roll < 0.97 and (programs or documents):
            number = count
            iri = _iri("observation", f"synth-{seed}-{number}")
            subject = rng.choice(programs or documents)
            yield emit(iri, _TYPE, _ipg("Observation"))
            yield emit(iri, _LABEL, _lit(f"Figure {number} on {topic_en}", "en"))
            yield emit(iri, _ipg("about"), subject)
            yield emit(iri, _ipg("measure"), rng.choice(measures))
            yield emit(iri, _ipg("unit"), rng.choice(units))
            yield emit(iri, _ipg("value"), _typed(f"{rng.randrange(1, 100000)}.0", "decimal"))
            yield emit(iri, _ipg("qualifier"), _ipg(rng.choice(_QUALIFIERS)))
            yield emit(iri, _ipg("referencePeriod"), _typed(year, "gYear"))
            yield emit(iri, _DERIVED, cite())
        else:
            iri = _iri("region", f"synth-{seed}-city-{len(regions)}")
            yield emit(iri, _TYPE, _ipg("City"))
            yield emit(iri, _LABEL, _lit(f"City {len(regions)} of {province_en}", "en"))
            yield emit(iri, _ipg("partOf"), province)
            yield emit(iri, _DERIVED, cite())
            regions.append(iri)


def write(path: str | Path, triples: int, seed: int = 0) -> int:
    """Write a synthetic graph as N-Triples (``.nt``; also valid ``.ttl``) and count its triples.

    >>> import tempfile, os
    >>> target = os.path.join(tempfile.mkdtemp(), "synth.nt")
    >>> 180 <= write(target, 200, seed=2) <= 220
    True
    """
    written = 0
    with Path(path).open("w", encoding="utf-8") as out:
        batch: list[str] = []
        for line in generate(triples, seed):
            batch.append(line)
            if len(batch) >= 10000:
                out.write("\n".join(batch) + "\n")
                written += len(batch)
                batch.clear()
        if batch:
            out.write("\n".join(batch) + "\n")
            written += len(batch)
    return written
