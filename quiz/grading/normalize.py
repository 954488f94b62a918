"""Normalisation every free-text comparison applies (bank-format.md).

* NFKC (full-width = half-width), case folded;
* whitespace and punctuation removed;
* Chinese numerals become Arabic ones, with 万 and 亿 multiplied out
  (``一百万`` = ``100万`` = ``1000000``, ``十倍`` = ``10倍``, ``两`` = ``2``);
* ``÷``/``除以`` become ``/``, ``×``/``乘以`` become ``*``, ``小于``/``低于``
  become ``<`` and ``大于``/``高于`` become ``>``.

:func:`analyse` also keeps where clauses start (punctuation, connectives such as
然后/再/并, numbering like ``1.`` or ``①``) and where items are coordinated
(``、``), which is what negation scope and ordered key points need. The
homophone key of a text (:func:`sound`) uses pypinyin's single-character
dictionary, loaded lazily: most answers never need it.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

# --- where each normalised character comes from -------------------------------

# For each character of a text being normalised, the span (start, end) of the original text it
# stands for: None on the fast path, which keeps no map. A character a rewrite made (30 for 三十, <
# for 小于) stands for the whole of what was rewritten; a mark inserted between characters for an
# empty span. :func:`source_map` runs the same steps with a map kept.
Src = list[tuple[int, int]] | None
Repl = str | Callable[[re.Match[str]], str]


class _Untracked(Exception):
    """A step whose result the map cannot follow (a character that NFKC folds with its neighbour)."""


def _sub(rx: re.Pattern[str], repl: Repl, t: str, src: Src) -> tuple[str, Src]:
    """``rx.sub(repl, t)``, and with a map, the map of the result."""
    if src is None:
        return rx.sub(repl, t), None
    parts: list[str] = []
    out: list[tuple[int, int]] = []
    pos = 0
    matched = False
    fixed = None if callable(repl) or "\\" in repl else repl
    for m in rx.finditer(t):
        matched = True
        s, e = m.span()
        if pos < s:
            parts.append(t[pos:s])
            out += src[pos:s]
        pos = e
        r = fixed if fixed is not None else repl(m) if callable(repl) else m.expand(repl)
        if not r:
            continue  # deleted
        parts.append(r)
        if s == e:
            at = src[s][0] if s < len(src) else (src[-1][1] if src else 0)
            out += [(at, at)] * len(r)  # a mark inserted between characters
            continue
        if e - s == 1:
            out += [src[s]] * len(r)  # one character for another (， -> |): it stands for it
            continue
        if r == m.group(0):
            out += src[s:e]
            continue
        block = (min(a for a, _b in src[s:e]), max(b for _a, b in src[s:e]))
        # a group the rewrite keeps at its start or end stays itself (比参照价还低 -> <参照价, < -> <)
        g = max(
            (g for g in range(1, rx.groups + 1)
             if m.start(g) < m.end(g) and (r.startswith(m.group(g)) or r.endswith(m.group(g)))),
            key=lambda g: m.end(g) - m.start(g), default=0,
        )
        if not g:
            out += [block] * len(r)
        else:
            n = m.end(g) - m.start(g)
            kept = src[m.start(g) : m.end(g)]
            out += kept + [block] * (len(r) - n) if r.startswith(m.group(g)) else [block] * (len(r) - n) + kept
    if not matched:
        return t, src
    parts.append(t[pos:])
    out += src[pos:]
    return "".join(parts), out


# --- numerals -----------------------------------------------------------------

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_NUM_CHARS = "0-9零〇一二两三四五六七八九十百千万亿"
# A numeral: Arabic or Chinese digits, optionally a decimal part, with 十百千万亿 anywhere.
_NUMERAL_RE = re.compile(
    rf"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十])[{_NUM_CHARS}]*(?:点[零〇一二三四五六七八九]+|\.\d+)?[万亿]*"
)
# Words spelled with numeral characters that are not numbers.
_IDIOM_RE = re.compile(
    "一定|一下|一些|一起|一直|一般|一样|一致|一旦|一切|一律|一并|一同|统一|唯一|万一|千万|十分|一再|一点点|"
    "一边|一会|一向|逐一|之一|一方面|不一|一贯|一概|一味|同一|单一|专一|一经|一来|一旦|一手|一心|一面|"
    "一是|一般来说|万万|千千万万|三思|七嘴八舌|乱七八糟|一五一十|十全十美|万事|万物|百货|百度|千牛|万能|"
    "两者|一口价|一件代发|一共|一律|一概|一开始|一开头|一上来|一下子|一半|一个人|一人"
)
_PERCENT_RE = re.compile(r"百分之([" + _NUM_CHARS + r".点]+)")
_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def _section(s: str) -> float:
    """Value of a numeral below 10,000 (may contain Arabic digit runs, 十百千)."""
    if not s:
        return 0.0
    total = 0.0
    cur: float | None = None
    last_unit = 0
    zero_seen = False
    i = 0
    while i < len(s):
        ch = s[i]
        if ch.isdigit() or ch == ".":
            j = i
            while j < len(s) and (s[j].isdigit() or s[j] == "."):
                j += 1
            try:
                cur = float(s[i:j])
            except ValueError:
                cur = 0.0
            i = j
            continue
        if ch in _CN_DIGIT:
            d = _CN_DIGIT[ch]
            if d == 0:
                zero_seen = True
                cur = None
            elif cur is not None and last_unit == 0:
                cur = cur * 10 + d  # digit by digit: 一二三 = 123
            else:
                cur = float(d)
        elif ch in _CN_SMALL:
            unit = _CN_SMALL[ch]
            total += (cur if cur is not None else 1.0) * unit
            last_unit = unit
            cur = None
            zero_seen = False
        i += 1
    if cur is not None:
        if last_unit >= 100 and not zero_seen and cur < 10:
            total += cur * last_unit / 10  # 两千五 = 2500 (colloquial)
        else:
            total += cur
    return total


def cn_to_number(token: str) -> float:
    """Value of a numeral token such as ``一百万``, ``100万``, ``1.5亿``, ``三点五``, ``两千五百``."""
    token = token.replace("点", ".")
    for ch, mult in (("亿", _CN_BIG["亿"]), ("万", _CN_BIG["万"])):
        k = token.rfind(ch)
        if k >= 0:
            high = token[:k]
            rest = token[k + 1 :]
            return (cn_to_number(high) if high else 1.0) * mult + (cn_to_number(rest) if rest else 0.0)
    if len(token) > 1 and all(c in _CN_DIGIT for c in token) and any(c in "零〇" for c in token):
        return float("".join(str(_CN_DIGIT[c]) for c in token))  # read digit by digit: 二〇一五 = 2015
    if "." in token and not token.replace(".", "").isdigit():
        whole, _, frac = token.partition(".")
        frac_digits = "".join(str(_CN_DIGIT.get(c, c)) for c in frac)
        try:
            return _section(whole) + float("0." + frac_digits)
        except ValueError:
            return _section(whole)
    return _section(token)


def format_number(v: float) -> str:
    if v != v or v in (float("inf"), float("-inf")):
        return "0"
    if float(v).is_integer() and abs(v) < 1e21:
        return str(int(v))
    return f"{v:.6f}".rstrip("0").rstrip(".")


_HAS_NUMERAL_RE = re.compile("[零〇一二两三四五六七八九十百千万亿壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億兩]")
# Financial numerals and the traditional forms of 万/亿/两 (NFKC leaves them alone): 壹佰萬 = 一百万.
_FINANCIAL = str.maketrans("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億兩", "一二二三三四五六六七八九十百千万亿两")


def _numerals(text: str) -> str:
    """Replace every numeral in ``text`` by its Arabic value, leaving idioms (一定, 千万 ...) alone."""
    return _numerals_mapped(text, None)[0]


def _numerals_mapped(text: str, src: Src) -> tuple[str, Src]:
    """:func:`_numerals`, keeping a map (``src``) when given one."""
    text = text.translate(_FINANCIAL)
    if not _HAS_NUMERAL_RE.search(text):
        return text, src
    if "百分之" in text:
        text, src = _sub(_PERCENT_RE, lambda m: m.group(1) + "%", text, src)
    protected = [(m.start(), m.end()) for m in _IDIOM_RE.finditer(text)]

    def repl(m: re.Match[str]) -> str:
        tok = m.group(0)
        if tok.isdigit():
            return tok
        s, e = m.start(), m.end()
        for ps, pe in protected:
            if ps <= s and e <= pe:  # the whole numeral is part of an idiom: 一定, 万一
                return tok
        return format_number(cn_to_number(tok))

    return _sub(_NUMERAL_RE, repl, text, src)


# --- operators and punctuation ------------------------------------------------

_OPS = (
    ("除以", "/"),
    ("÷", "/"),
    ("乘以", "*"),
    ("乘", "*"),
    ("×", "*"),
    ("小于", "<"),
    ("低于", "<"),
    ("大于", ">"),
    ("高于", ">"),
)
_OPS_RE = re.compile("|".join(re.escape(a) for a, _ in _OPS))
_OPS_MAP = dict(_OPS)
_DROP_RE = re.compile(r"[^\w/*<>=+%.~]|_")
_DROP_KEEP_MARKS_RE = re.compile(r"[^\w/*<>=+%.~|\x01-\x06]|_")
_MARKS_RE = re.compile(r"([|\x01-\x06])")
# Sentence ends (a sentence is the scope of "one offer": 给您返现,您改个好评): \x03. Quotation marks
# (a quoted script may be criticised, not said): \x04 opens, \x05 closes.
_SENTENCE_END_RE = re.compile(r"[。!?;\n]+")
_OP_PRESENT_RE = re.compile(r"[<>*/=+×÷]|小于|大于|低于|高于|乘以|除以|等于")
_OP_SPACE_RE = re.compile(r"\s*([<>*/=+×÷]|小于|大于|低于|高于|乘以|除以|等于)\s*")
_QUOTE_OPEN = "“‘「『﹁"
_QUOTE_CLOSE = "”’」』﹂"
# Separators between two numbers keep them apart (3-5天, 3、5, 3 到 5): "~".
_DIGIT_GAP_RE = re.compile(r"(?<=\d)(?:[\s\-–—~～,、;:]|至|到)+(?=\d)")
# 100w = 100万, 5k = 5千 (sellers' shorthand)
_SHORTHAND_RE = re.compile(r"(?<=\d)([wk])(?![a-z])")
_STRAY_DOT_RE = re.compile(r"(?<!\d)\.|\.(?!\d)")

# Clause boundaries: strong punctuation, connectives, numbering. Three expressions, the last two
# run only when the text has what they look for (most answers have no numbering).
_CONNECTIVES = (
    "然后", "接着", "之后", "随后", "最后", "首先", "其次", "另外", "而且", "并且", "但是", "可是", "所以", "因此",
    "因为", "如果", "同时", "以及", "还要", "而是", "否则", "的话", "时候",
)
_CONNECTIVE_IN_RE = re.compile("|".join(_CONNECTIVES))
_NUMBERING_RE = re.compile(
    r"(?:^|(?<=[\s,，。;；:：\x01\x03\x06]))(?:\(?\d{1,2}|[一二三四五六七八九十]{1,2})[.、)）\x01](?!\d)|[（(]\d{1,2}[)）]|"
    r"第[一二三四五六七八九十\d]{1,2}步"
)
_MAY_NUMBER_RE = re.compile(r"[\d一二三四五六七八九十（(第]")
_PUNCT_BOUNDARY_RE = re.compile(r"[,，。;；!！?？:：\n\r\t]|\s+|\.{2,}|…+")
_CONNECTIVE_RE = re.compile(
    r"(?=然后|接着|之后|随后|最后|首先|其次|另外|而且|并且|但是|可是|所以|因此|因为|如果|同时|以及|还要|而是|否则)|"
    r"(?<=的话|时候|否则)"
)


def _boundaries(t: str, src: Src = None) -> tuple[str, Src]:
    """Clause boundaries marked with |: numbering, punctuation, connectives."""
    if _MAY_NUMBER_RE.search(t):
        t, src = _sub(_NUMBERING_RE, "|", t, src)
    t, src = _sub(_PUNCT_BOUNDARY_RE, "|", t, src)
    if _CONNECTIVE_IN_RE.search(t):
        t, src = _sub(_CONNECTIVE_RE, "|", t, src)
    return t, src
# One-character connectives (再 并 先 但 就 才) also start words (先行, 再次, 并非, 就是): they are
# weak boundaries, which a negator standing right before them still crosses (不先行赔付).
_WEAK_RE = re.compile(r"(?=[再并先但就才])")
_WEAK_IN_RE = re.compile(r"[再并先但就才]")
_CIRCLED_RE = re.compile("[\u2460-\u2473\u2776-\u277f\u24f5-\u24fe]")
_MARKS = "|\x01\x02\x03\x04\x05\x06"
_MARK_FREE = str.maketrans({c: " " for c in _MARKS})
_MARK_IN_RE = re.compile("[|\x01-\x06]")
_QUOTE_IN_RE = re.compile("[" + re.escape(_QUOTE_OPEN + _QUOTE_CLOSE) + "\"']")


# 参照价x预警阈值: a letter x between words is a multiplication sign.
_X_TIMES_RE = re.compile(r"(?<=[\u4e00-\u9fff])\s*x\s*(?=[\u4e00-\u9fff])")
# A comparison said in words (最低价比参照价×阈值还低的时候 = 最低价<参照价×阈值), read where a side is a
# product or quotient (the formulas questions ask for), so that 比平时多 in a reply is left alone.
_COMPARE_RE = re.compile(
    r"(?<![对相无好类评])比(?![例较如方率重赛])\s*([^,，。;；!！?？\n比]{1,24}?)\s*(?:还要|还|更|要)?\s*(低|小|少|高|大|多)"
    r"(?=\s*(?:的时候|时候|时|就|的话|了|的|[,，。;；!！?？\n]|$))"
)
_OP_IN_RE = re.compile("[*×/÷]|乘|除")
# 参照价的预警阈值倍 = 参照价×预警阈值 (a multiple by a named factor, not a number)
_TIMES_OF_RE = re.compile(r"([^\W\d_]{2,12}?)的([^\W\d_]{2,12}?)倍")


def _comparisons(t: str, src: Src = None) -> tuple[str, Src]:
    def repl(m: re.Match[str]) -> str:
        if not _OP_IN_RE.search(m.group(1)) and not _OP_IN_RE.search(t, 0, m.start()):
            return m.group(0)
        return ("<" if m.group(2) in "低小少" else ">") + m.group(1)

    return _sub(_COMPARE_RE, repl, t, src)


class _FoldTable(dict[str, str]):
    """Each character folded on its own (NFKC, lower case), remembered."""

    def __missing__(self, ch: str) -> str:
        folded = self[ch] = unicodedata.normalize("NFKC", ch).lower()
        return folded


_FOLDED = _FoldTable()


def _fold(text: str, src: Src = None) -> tuple[str, Src]:
    folded = unicodedata.normalize("NFKC", text).lower()
    if src is not None and folded != text:
        each = [_FOLDED[c] for c in text]
        if "".join(each) != folded:
            raise _Untracked(text)  # (a character composed with its neighbour)
        src = [span for c, span in zip(each, src, strict=True) for _ in c]
    text = folded
    if "," in text:
        text, src = _sub(_THOUSANDS_RE, "", text, src)
    text, src = _sub(_DIGIT_GAP_RE, "~", text, src)
    if "w" in text or "k" in text:
        text, src = _sub(_SHORTHAND_RE, lambda m: "万" if m.group(1) == "w" else "千", text, src)
    if "x" in text:
        text, src = _sub(_X_TIMES_RE, "×", text, src)
    if "比" in text:
        text, src = _comparisons(text, src)
    return text, src


def _finish(text: str, drop: re.Pattern[str] = _DROP_RE, src: Src = None) -> tuple[str, Src]:
    text, src = _numerals_mapped(text, src)
    text, src = _sub(_OPS_RE, lambda m: _OPS_MAP[m.group(0)], text, src)
    if "倍" in text:
        text, src = _sub(_TIMES_OF_RE, r"\1*\2", text, src)
    text, src = _sub(drop, "", text, src)
    if "." in text:
        text, src = _sub(_STRAY_DOT_RE, "", text, src)
    return text, src


_PLAIN_RE = re.compile("[\u4e00-\u9fff]+")


def normalize(text: str) -> str:
    """The comparable form of a text: see the module docstring (numbering like ``1.`` is dropped)."""
    if _PLAIN_RE.fullmatch(text) and not _HAS_NUMERAL_RE.search(text) and not _OPS_RE.search(text):
        return text  # Chinese characters only, no numeral or operator word: nothing to change
    if len(text) <= 200:
        return _normalize_cached(text)
    return analyse(text).flat


@functools.lru_cache(maxsize=8192)
def _normalize_cached(text: str) -> str:
    return analyse(text).flat


@dataclass(frozen=True, slots=True)
class Analysed:
    """A normalised text with where its clauses start and where items are coordinated (、)."""

    flat: str
    bounds: tuple[int, ...]  # offsets in ``flat`` where a clause starts (always includes 0)
    soft: tuple[int, ...]  # offsets in ``flat`` where a 、 stood
    weak: frozenset[int] = frozenset()  # bounds made by a one-character connective (再 并 先 ...)
    sentences: tuple[int, ...] = (0,)  # offsets where a sentence starts (after 。!?; or a line break)
    quotes: tuple[tuple[int, int], ...] = ()  # (start, end) of quoted text
    asks: frozenset[int] = frozenset()  # starts of clauses that ask (end in ? or 吗): they state nothing

    def asking(self, pos: int) -> bool:
        """Whether the clause holding ``pos`` is a question (…返您10块,您看行吗 asks only at its end)."""
        return bool(self.asks) and self.clause_start(pos) in self.asks

    def sentence_span(self, pos: int) -> tuple[int, int]:
        """The sentence holding ``pos``: (start, end)."""
        start = 0
        end = len(self.flat)
        for b in self.sentences:
            if b > pos:
                end = b
                break
            start = b
        return start, end

    def clause_end(self, pos: int) -> int:
        """Where the clause holding ``pos`` ends (weak boundaries included)."""
        for b in self.bounds:
            if b > pos:
                return b
        return len(self.flat)

    def clause_start(self, pos: int) -> int:
        start = 0
        for b in self.bounds:
            if b > pos:
                break
            start = b
        return start


def _sentence_end(m: re.Match[str]) -> str:
    """A sentence end: \\x03, or \\x06 for a question (a ? among the marks)."""
    return "\x06" if "?" in m.group(0) else "\x03"


def _mark_quotes(t: str) -> str:
    """Quotation marks become \\x04 (open) and \\x05 (close); straight quotes alternate."""
    out = []
    straight: dict[str, bool] = {'"': False, "'": False}
    for ch in t:
        if ch in _QUOTE_OPEN:
            out.append("\x04")
        elif ch in _QUOTE_CLOSE:
            out.append("\x05")
        elif ch in straight:
            out.append("\x05" if straight[ch] else "\x04")
            straight[ch] = not straight[ch]
        else:
            out.append(ch)
    return "".join(out)


def analyse(text: str) -> Analysed:
    """Normalise ``text`` and keep its clause boundaries, sentence starts and quotations.

    Short texts are remembered (an immutable result): many learners give the same short answer
    (B, 对, 15天, 卖家承担), and a batch of a class's answers repeats them.
    """
    if len(text) <= _REMEMBERED:
        return _analyse_short(text)
    return _analyse(text)


_REMEMBERED = 40


@functools.lru_cache(maxsize=16384)
def _analyse_short(text: str) -> Analysed:
    return _analyse(text)


def _analyse(text: str) -> Analysed:
    t, _src = _steps(text, None)
    if t is text or not _MARK_IN_RE.search(t):
        return Analysed(t, (0, len(t)) if t else (0,), (), asks=frozenset((0,)) if t.endswith("吗") else frozenset())
    return _marked(t)


def _steps(text: str, src: Src) -> tuple[str, Src]:
    """Normalise ``text``, marking clauses, sentences, quotations and items (what :func:`_marked` reads);
    with a map (``src``), keep it."""
    if _PLAIN_RE.fullmatch(text) and not _HAS_NUMERAL_RE.search(text) and not _OPS_RE.search(text):
        # Chinese characters only, no numeral or operator word (most short answers): only the
        # connectives and one-character connectives can part clauses
        t = text
        if _CONNECTIVE_IN_RE.search(t):
            t, src = _sub(_CONNECTIVE_RE, "|", t, src)
        if _WEAK_IN_RE.search(t):
            t, src = _sub(_WEAK_RE, "\x02", t, src)
        return t, src
    t = text.translate(_MARK_FREE) if _MARK_IN_RE.search(text) else text
    if _CIRCLED_RE.search(t):
        t, src = _sub(_CIRCLED_RE, "|", t, src)
    t, src = _fold(t, src)
    if " " in t and _OP_PRESENT_RE.search(t):
        t, src = _sub(_OP_SPACE_RE, r"\1", t, src)  # 最低价 < 参照价 × 阈值: spaces around an operator part no clauses
    t, src = _sub(_SENTENCE_END_RE, _sentence_end, t, src)
    if _QUOTE_IN_RE.search(t):
        t = _mark_quotes(t)  # (one for one)
    t = t.replace("、", "\x01")
    t, src = _boundaries(t, src)
    if _WEAK_IN_RE.search(t):
        t, src = _sub(_WEAK_RE, "\x02", t, src)
    return _finish(t, _DROP_KEEP_MARKS_RE, src)


def source_map(text: str, flat: str | None = None) -> tuple[tuple[int, int], ...] | None:
    """For each character of ``analyse(text).flat`` (``flat``, when known), the span of ``text`` it
    comes from (a character a rewrite made, 30 for 三十, stands for all that was rewritten); None
    when a step cannot be followed."""
    try:
        t, src = _steps(text, [(k, k + 1) for k in range(len(text))])
    except _Untracked:
        return None
    if src is None or len(src) != len(t):
        return None
    out = tuple(span for ch, span in zip(t, src, strict=True) if ch not in _MARKS)
    if flat is None:
        flat = analyse(text).flat
    return out if "".join(ch for ch in t if ch not in _MARKS) == flat else None


def _marked(t: str) -> Analysed:
    """The text with its marks (| \\x01-\\x06) read into clause starts, sentences, quotations."""
    flat_parts: list[str] = []
    bounds = [0]
    soft: list[int] = []
    weak: set[int] = set()
    strong: set[int] = {0}
    sentences = [0]
    asks: set[int] = set()
    quotes: list[tuple[int, int]] = []
    opened = -1
    pos = 0
    for tok in _MARKS_RE.split(t):
        if tok == "|" or tok == "\x02" or tok == "\x03" or tok == "\x06":
            if bounds[-1] != pos:
                bounds.append(pos)
            if tok == "\x02":
                if pos not in strong:
                    weak.add(pos)
            else:
                strong.add(pos)
                weak.discard(pos)
                if tok in "\x03\x06":
                    if tok == "\x06" or (flat_parts and flat_parts[-1].endswith("吗")):
                        asks.add(bounds[-2] if bounds[-1] == pos and len(bounds) > 1 else bounds[-1])
                    if sentences[-1] != pos:
                        sentences.append(pos)
        elif tok == "\x01":
            soft.append(pos)
        elif tok == "\x04":
            opened = pos
        elif tok == "\x05":
            if opened >= 0 and pos > opened:
                quotes.append((opened, pos))
            opened = -1
        elif tok:
            flat_parts.append(tok)
            pos += len(tok)
    if bounds[-1] != pos:
        bounds.append(pos)
    if flat_parts and flat_parts[-1].endswith("吗"):
        asks.add(bounds[-2] if len(bounds) > 1 else 0)
    return Analysed(
        "".join(flat_parts),
        tuple(bounds),
        tuple(soft),
        frozenset(weak),
        tuple(sentences),
        tuple(quotes),
        frozenset(asks),
    )


# --- numbers in a normalised text ----------------------------------------------

_NUMBER_RE = re.compile(r"-?\d+(?:\.\d+)?")


def numbers(flat: str) -> list[float]:
    """The numbers in a normalised text, in order."""
    out = []
    for m in _NUMBER_RE.finditer(flat):
        try:
            out.append(float(m.group(0)))
        except ValueError:  # pragma: no cover - the regex only matches numbers
            continue
    return out


# --- negation -------------------------------------------------------------------

# Words that start with a negating character but do not negate (first alternatives win).
_NEG_RE = re.compile(
    "(?P<non>别忘|不要忘|不能忘|不忘|别漏|不要漏|不能漏|别错过|不要错过|不过|不如|不然|要不然|要不|不得不|有没有|是不是|能不能|会不会|要不要|可不可以|行不行|对不对|算不算|属不属于|构不构成|够不够|有无|不仅|不但|不管|不论|不错|不久|不断|不少|不满|不良|不法|不便|无论|非常|非法|是非|未来|别人|别的|别家|除非|莫名|毫无疑问|"
    "识别|区别|特别|分别|级别|类别|个别|告别|差别|性别|辨别|鉴别|派别|判别|甄别|类别|淹没|埋没|没收)|"
    "(?P<neg>不要|不能|不可以|不可|不用|不必|不会|不应|不该|不得|不准|不许|不是|不再|不去|不给|不做|"
    "没有|没|无权|无需|无须|无法|无|并非|非|未|别|勿|莫|禁止|严禁|切忌|忌|拒绝|避免|杜绝|防止|不)"
)
NEGATOR_CHARS = frozenset("不没无非未别勿莫否")


def negator_spans(text: str) -> list[tuple[int, int]]:
    """Where negating words stand in a normalised text."""
    return [(m.start(), m.end()) for m in _NEG_RE.finditer(text) if m.group("neg")]


def non_negator_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Where words that start with a negating character but do not negate stand (要不, 不过, 别忘)."""
    return [(m.start() + offset, m.end() + offset) for m in _NEG_RE.finditer(text) if m.group("non")]


def has_negator(text: str) -> bool:
    return any(m.group("neg") for m in _NEG_RE.finditer(text))


# --- homophones -------------------------------------------------------------------

_PINYIN: dict[int, str] | None = None


def _pinyin_table() -> dict[int, str]:
    """pypinyin's single-character dictionary (code point -> 'reading,reading'), loaded once.

    pypinyin reads it from 800 KB of JSON (about a tenth of a second); the readings the grader
    uses (the first two of each character) are kept in the program's cache folder as a marshal
    file named after the installed dictionary file (:func:`_pinyin_stamp`), which loads in a few milliseconds. pypinyin also loads a
    large phrase dictionary on import, which single characters do not need; ``PYPINYIN_NO_PHRASES``
    (documented by pypinyin) skips it, and is restored afterwards so nothing else in the process changes.
    """
    global _PINYIN
    if _PINYIN is None:
        _PINYIN = _cached_pinyin()
    return _PINYIN


def _cached_pinyin() -> dict[int, str]:
    import marshal

    from quiz.cache import cache_dir, write_file

    path = cache_dir() / f"pinyin-{_pinyin_stamp()}.marshal"
    try:
        table = marshal.loads(path.read_bytes())
        if isinstance(table, dict) and table:
            return table
    except (OSError, ValueError, EOFError, TypeError):
        pass
    table = {cp: ",".join(r.split(",")[:2]) for cp, r in _pypinyin_dict().items()}
    write_file(path, marshal.dumps(table))  # (a cache that cannot be written is simply not used)
    return table


def _pinyin_stamp() -> str:
    """Names the installed pypinyin dictionary (its file's size and time), so that another pypinyin gets
    its own cache file. Found without importing pypinyin, and without importlib.metadata's scan of every
    installed distribution (a tenth of a second, as long as the table takes to load)."""
    import importlib.util

    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.origin:  # pragma: no cover - pypinyin is a dependency
        return "unknown"
    here = os.path.dirname(spec.origin)
    for name in ("pinyin_dict.json", "pinyin_dict.py", "__init__.py"):  # the data, where pypinyin keeps it
        try:
            st = os.stat(os.path.join(here, name))
        except OSError:
            continue
        return f"{st.st_size:x}-{st.st_mtime_ns:x}"
    return "unknown"  # pragma: no cover


def _pypinyin_dict() -> dict[int, str]:
    if "pypinyin" in sys.modules:
        from pypinyin import pinyin_dict
    else:
        old = os.environ.get("PYPINYIN_NO_PHRASES")
        os.environ["PYPINYIN_NO_PHRASES"] = "1"
        try:
            from pypinyin import pinyin_dict
        finally:
            if old is None:
                del os.environ["PYPINYIN_NO_PHRASES"]
            else:
                os.environ["PYPINYIN_NO_PHRASES"] = old
    table: dict[int, str] = pinyin_dict.pinyin_dict
    return table


_SYLLABLES: dict[str, str] = {}


@functools.lru_cache(maxsize=8192)
def sound_char(ch: str) -> str:
    """One character standing for the (toned) default reading of ``ch``; ``ch`` itself if it has none.

    Toned readings keep 买 (mǎi) and 卖 (mài) apart while 待 and 代 (dài) meet.
    Retroflex and flat initials are merged (zh/z, ch/c, sh/s), as pinyin input
    methods' common "fuzzy pinyin" setting does: 申述 (shù) is typed for 申诉 (sù).
    """
    if ch < "\u3400":
        return ch
    reading = _pinyin_table().get(ord(ch))
    if not reading:
        return ch
    first = reading.split(",", 1)[0]
    if first[:2] in ("zh", "ch", "sh"):
        first = first[0] + first[2:]
    key = _SYLLABLES.get(first)
    if key is None:
        key = chr(0xF0000 + len(_SYLLABLES))  # a private-use character per syllable
        _SYLLABLES[first] = key
    return key


class _SoundTable(dict[int, str]):
    """Code point -> sound key, filled on first need: str.translate reads it without a Python loop."""

    def __missing__(self, cp: int) -> str:
        key = self[cp] = sound_char(chr(cp))
        return key


_SOUNDS = _SoundTable()


def sound(text: str) -> str:
    """``text`` with every Chinese character replaced by its reading's key (same length)."""
    return text.translate(_SOUNDS)


def _flat_initial(r: str) -> str:
    return r[0] + r[2:] if r[:2] in ("zh", "ch", "sh") else r


@functools.lru_cache(maxsize=8192)
def readings(ch: str) -> frozenset[str]:
    """The main toned readings of ``ch`` (zh/z, ch/c, sh/s merged), empty for a character without one.

    A pinyin input method offers a character for any of its readings: 掏 (tāo, táo) is
    picked for 淘 (táo), 得 (dé, de) for 的 (de).
    """
    if ch < "\u3400":
        return frozenset()
    reading = _pinyin_table().get(ord(ch))
    # the two commonest readings: a rarely used one (的 read dì) is not what an input method offers first
    return frozenset(_flat_initial(r) for r in reading.split(",")[:2]) if reading else frozenset()


@functools.lru_cache(maxsize=8192)
def reading(ch: str) -> str:
    """The default reading of ``ch`` (zh/z ... merged), or ``ch`` itself."""
    if ch < "\u3400":
        return ch
    r = _pinyin_table().get(ord(ch))
    return _flat_initial(r.split(",", 1)[0]) if r else ch


@functools.lru_cache(maxsize=8192)
def syllable(ch: str) -> str:
    """The default reading of ``ch`` without its tone (zh/z ... merged), or ``ch`` itself.

    Learners who type pinyin without tones pick a character of the right syllable in the wrong
    tone (商价 for 商家); the grader forgives that only where no rival answer differs by it.
    """
    r = reading(ch)
    if r == ch:
        return ch
    return "".join(c for c in unicodedata.normalize("NFD", r) if not unicodedata.combining(c))

