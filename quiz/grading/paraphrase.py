"""The same content in other words: a learner's paraphrase of a choice or of a 判断 statement.

:func:`canon` rewrites a text into canonical words, so that ``都是商家出`` and ``均由经营者承担``,
``越来越少`` and ``逐渐减少``, ``按曝光扣费`` and ``按展示收费`` meet:

* the trade's synonyms are read as the shared thesaurus reads them (``banks/lexicon/thesaurus.yaml``,
  with any a trainer adds: 展示 = 展现 = 曝光, 扣费 = 收费, 保存 = 保留 …);
* the words the thesaurus marks as naming a party are one token each: seller ``σ``, buyer ``β``,
  platform ``π``; the reviewer (评价人, 给差评的人) is ``ρ``; so a party is never read as a typo of
  another, and choices can be told apart by who does or pays;
* what the thesaurus does not say, this module does: money verbs after a party (出/付/掏/负担) are
  承担; 都/均/全部/一律/来回 are one quantifier; directions (越来越少 = 逐渐减少, 递减); replying
  (理会/回应 = 回复).

:func:`canon_formula` writes a formula one way: ``a>b`` as ``b<a``, the factors of a product
sorted, ``A分之B`` as ``B/A``, ``A比B低`` as ``A<B``, ``A比B`` as ``A/B``.
"""

from __future__ import annotations

import functools
import re

from quiz.grading import lexicon
from quiz.grading.normalize import _numerals

# Greek letters: word characters that NFKC and lower-casing keep, and that no Chinese answer uses.
SELLER, BUYER, PLATFORM, REVIEWER = "σ", "β", "π", "ρ"
PARTIES = frozenset((SELLER, BUYER, PLATFORM, REVIEWER))
_TOKEN = {"seller": SELLER, "buyer": BUYER, "platform": PLATFORM}


def _rules(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(p), r) for p, r in pairs)


# Before the thesaurus: words its groups would split (the platform's operator is the platform, a
# seller on it a seller; 总销售额 is 全部累计销售额).
_BEFORE = _rules((
    (r"平台内经营者|平台内的经营者", SELLER),
    (r"(?:电子商务|电商)?平台经营者|平台方", PLATFORM),
    (r"(?<!被)(?:作出|给出|给了|给|打)?(?:中差评|差评)的(?:那个|那位)?人|评价人", REVIEWER),
    (r"(?:累计)?总销售额", "全部累计销售额"),
    (r"协商方案", "协调方案"),
))
# After it, and after the parties are tokens.
_AFTER = _rules((
    (r"全(?=[出付掏包]|承担)", "均"),
    # who pays: 卖家出 / 买家付 / 各出一半 / 自己掏 / 商家全出
    (r"(?<=[σβπ各己均人])(?:来)?(?:出钱|付钱|掏钱|出(?!售|具|现|租|口|货|去|发|问题|了问题)|付(?!款)|掏|负担|买单|包)", "承担"),
    # quantifiers: all of them
    (r"全部|全都|统统|一律|所有的|所有|都|均|来回|往返|2段|2趟|2头|双程", "均"),
    (r"均(?:是|由|为)", "均"),
    # directions
    (r"越来越|越[^越,，。]{1,3}越(?=[少多])|逐步|慢慢|渐渐|1步1步|1步步|一点点|1层层|层层|"
     r"一直(?=减少|增加|变少|变多|下降|上升|少|多)", "逐渐"),
    (r"递减", "逐渐减少"),
    (r"递增", "逐渐增加"),
    (r"逐渐(?:变)?少", "逐渐减少"),
    (r"逐渐(?:变)?多", "逐渐增加"),
    (r"先(?:变)?少后(?:变)?多", "先减少后增加"),
    (r"先(?:变)?多后(?:变)?少", "先增加后减少"),
    (r"增多|增长|上升|变多", "增加"),
    (r"变少|减小|下降", "减少"),
    # charging, replying, using
    (r"收钱|扣费用", "扣费"),
    (r"免费|不收(?:钱|费)?", "不扣费"),
    (r"理会|理睬|搭理|回应|答复", "回复"),
    (r"抵扣|抵用|使用", "用"),
))
# Any word a rule of this module rewrites; any word a rule of _BEFORE / _AFTER rewrites (where none
# matches, none of the rules, applied in turn, changes anything: they are skipped).
_ANY_RE = re.compile("|".join(f"(?:{p.pattern})" for p, _ in (*_BEFORE, *_AFTER)))
_BEFORE_RE = re.compile("|".join(f"(?:{p.pattern})" for p, _ in _BEFORE))
_AFTER_RE = re.compile("|".join(f"(?:{p.pattern})" for p, _ in _AFTER))


def canon(text: str) -> str:
    """``text`` (NFKC, lower case) in canonical words: the thesaurus's, parties as tokens, this module's."""
    return _canon(text, lexicon.generation())


@functools.lru_cache(maxsize=8192)
def _canon(text: str, generation: int) -> str:
    text = _numerals(text)  # as the thesaurus's words are (小二 is 小2 there)
    th, party_re = _thesaurus(generation)
    if th.pattern is not None and th.pattern.search(text):
        if _BEFORE_RE.search(text):
            for pattern, repl in _BEFORE:
                text = pattern.sub(repl, text)
        text = th.rewrite(text)[0]
        if party_re is not None:
            text = party_re.sub(lambda m: _TOKEN[th.party[m.group(0)]], text)
    elif not _ANY_RE.search(text):
        return text
    elif _BEFORE_RE.search(text):
        for pattern, repl in _BEFORE:
            text = pattern.sub(repl, text)
    if _AFTER_RE.search(text):
        for pattern, repl in _AFTER:
            text = pattern.sub(repl, text)
    return text


@functools.lru_cache(maxsize=4)
def _thesaurus(generation: int) -> tuple[lexicon.CompiledThesaurus, re.Pattern[str] | None]:
    """The thesaurus, and a pattern for the words it says name a party (its groups' first words)."""
    th = lexicon.thesaurus()
    heads = sorted(th.party, key=len, reverse=True)
    return th, re.compile("|".join(re.escape(h) for h in heads)) if heads else None


def parties(text: str) -> frozenset[str]:
    """The party tokens in a canonical text."""
    return frozenset(ch for ch in text if ch in PARTIES)


_ROLE_RE = re.compile(r"(?:由|归|让)([σβπρ])|([σβπρ])(?:[^σβπρ,，;；|]{0,3}?)(?:各)?承担")


def roles(text: str, strict: bool = False) -> frozenset[str]:
    """Who bears or does what a canonical text says: the party after 由 or before 承担; else (unless
    ``strict``) every party it names."""
    found = {m.group(1) or m.group(2) for m in _ROLE_RE.finditer(text)}
    if "各承担" in text:  # σ和β各承担一半: both
        found |= parties(text)
    return frozenset(found) if found or strict else parties(text)


# --- formulas ---------------------------------------------------------------------------------

_FRACTION_RE = re.compile(r"([\u4e00-\u9fff]{1,6}?)分之([\u4e00-\u9fff]{1,6})")
_TERM_STOP = "是为等于即"


def _fraction(m: re.Match[str]) -> str:
    den, num = m.group(1), m.group(2)
    k = max((den.rfind(s) for s in _TERM_STOP), default=-1)
    lead = den[: k + 1]
    return f"{lead}{num}/{den[k + 1:]}"


_THAN_RE = re.compile(r"^([^<>=比]+)比([^<>=比]+?)(?:要|还)?(低|小|少|高|大|多)$")
_RATIO_RE = re.compile(r"^([\u4e00-\u9fff]{2,8})比([\u4e00-\u9fff]{2,8})$")
_CMP_RE = re.compile(r"^([^<>=]+)([<>])([^<>=]+)$")


def _sorted_product(side: str) -> str:
    if "*" not in side:
        return side
    return "*".join(sorted(side.split("*")))


def canon_formula(flat: str) -> str:
    """A normalised text's formula written one way: ``A分之B`` = ``B/A``, ``a>b`` = ``b<a``, factors sorted."""
    if "分之" in flat:
        flat = _FRACTION_RE.sub(_fraction, flat)
    if "<" not in flat and ">" not in flat and "*" not in flat and "比" not in flat:
        return flat
    head, sep, expr = flat.rpartition("=")
    m = _THAN_RE.match(expr)
    if m:  # 最低价比参照价*阈值低: 最低价<参照价*阈值
        expr = f"{m.group(1)}{'<' if m.group(3) in '低小少' else '>'}{m.group(2)}"
    else:
        m = _RATIO_RE.match(expr)
        if m:  # 接待量比咨询量: 接待量/咨询量
            expr = f"{m.group(1)}/{m.group(2)}"
    m = _CMP_RE.match(expr)
    if m:
        left, op, right = m.group(1), m.group(2), m.group(3)
        if op == ">":
            left, right = right, left
        expr = f"{_sorted_product(left)}<{_sorted_product(right)}"
    elif "*" in expr and "<" not in expr and ">" not in expr:
        expr = _sorted_product(expr)
    return f"{head}{sep}{expr}"
