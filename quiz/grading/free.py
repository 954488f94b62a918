"""Free text: 填空/简答 (accepted and rejected forms, key points) and 情景题 (weighted key points,
required decisions, roles, forbidden actions and violation classes).

An answer is read twice (semantics.read): in the thesaurus's words for key points and accepted
forms (店家 = 商家 = 卖家), and as written for forbidden actions. What it copies from the prompt
earns nothing; a key point with ``who`` is not made when the answer gives it to another party; a
``required`` key point must be made for ``correct``; the pass mark is the exact weighted share.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from quiz.grading import lexicon, payment, semantics, violations
from quiz.grading.choice import _diff_ok
from quiz.grading.common import DEFAULT_CUTOFF, MAX_ANSWER, _compiled, _list, _result, is_question, tr
from quiz.grading.match import (
    Answer,
    Hit,
    Phrase,
    by_other,
    find_best,
    is_negated,
    is_topic,
    locate,
    mark_rivals,
    negated_after,
    waved_off,
)
from quiz.grading.normalize import NEGATOR_CHARS, Analysed, negator_spans, normalize, numbers, sound
from quiz.grading.result import GradeResult
from quiz.model import AnyQuestion, KeyPoint, Party, ScenarioQuestion, ShortQuestion

_PARTY_ZH = {"seller": "卖家", "buyer": "买家", "platform": "平台"}
_PARTY_EN = {"seller": "the seller", "buyer": "the buyer", "platform": "the platform"}
# Verbs of paying: a party that 出/承担/付/包 something pays it.
_PAY_VERBS = ("承担", "负担", "负责", "支付", "报销", "买单", "出", "付", "包", "掏")
_PAY_RE = "(?:" + "|".join(_PAY_VERBS) + ")"
_MASK = "\U000f8888"  # stands in for text copied from the prompt: matches nothing


@dataclass(slots=True)
class _Point:
    label: str
    weight: float
    phrases: list[Phrase]
    required: bool = False
    who: Party | None = None
    slots: list[re.Pattern[str]] = field(default_factory=list)  # the point's phrasing with its party open
    kinds: list[tuple[str, Phrase]] = field(default_factory=list)  # (narrower word, phrasing with it)
    # what its negative phrasings deny (不回购 -> 回购): waved off or condemned, it makes the point
    cores: list[Phrase] = field(default_factory=list)
    # what contradicts a negative decision: its core said as allowed (不能再投诉 -> 能投诉, 直接用就行)
    counter: re.Pattern[str] | None = None
    # what several of its phrasings name with different qualifiers (聊天截图, 旺旺截图 -> 截图): said as a
    # bare item of a list (截图,快递单,合格证), it names the point; with another qualifier it does not
    heads: tuple[str, ...] = ()
    # a who-pays point (运费都由我们承担): read by who finally pays, see payment.py
    pays: bool = False
    pays_all: bool = False  # it says all of the cost (来回, 两段, 都): one leg said is half of it

    def for_answer(self, flat: str) -> list[Phrase]:
        """Its phrasings, with those that use a kind of a word only when the answer has that kind."""
        if not self.kinds:
            return self.phrases
        return self.phrases + [p for w, p in self.kinds if w in flat]


@dataclass(slots=True)
class _Free:
    accepted: list[Phrase] = field(default_factory=list)
    rejected: list[Phrase] = field(default_factory=list)
    points: list[_Point] = field(default_factory=list)
    forbidden: list[_Point] = field(default_factory=list)
    classes: frozenset[str] = frozenset()
    ordered: bool = False
    pass_: float = 1.0
    cutoff: float = DEFAULT_CUTOFF
    voice: str = "seller"
    th: lexicon.CompiledThesaurus = field(default_factory=lexicon.CompiledThesaurus)
    prompt: str = ""  # canonical
    prompt_grams: frozenset[str] = frozenset()
    prompt_orig: str = ""
    prompt_orig_grams: frozenset[str] = frozenset()
    parties: dict[bool, semantics.Parties] = field(default_factory=dict)
    generation: int = 0
    cores: list[tuple[Phrase, str]] = field(default_factory=list)  # accepted form, what it adds to the prompt
    payer: Party | None = None  # a short who-pays question: the party every accepted form names
    shortened: frozenset[str] = frozenset()  # accepted forms without words the prompt says (时间和用户名)
    # where accepted and rejected forms differ by a qualifier before shared words (全部累计|近30天 +
    # 销售额10倍): those words -> the accepted qualifiers
    slots: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # key point phrasings with a number, as (pattern with the number open, the number, point)
    numbered: list[tuple[re.Pattern[str], float, str]] = field(default_factory=list)

    def parties_for(self, boss: bool) -> semantics.Parties:
        p = self.parties.get(boss)
        if p is None:
            p = self.parties[boss] = _parties(self.generation, self.voice, boss)
        return p


_PARTIES: dict[tuple[int, str, bool], semantics.Parties] = {}


def _parties(generation: int, voice: str, boss: bool) -> semantics.Parties:
    """The party words for a voice (built once per thesaurus, shared by every question)."""
    key = (generation, voice, boss)
    got = _PARTIES.get(key)
    if got is None:
        if len(_PARTIES) > 64:
            _PARTIES.clear()
        got = _PARTIES[key] = semantics.Parties.build(lexicon.thesaurus(), voice, boss)
    return got


def _phrases(
    th: lexicon.CompiledThesaurus,
    texts: list[str],
    group: int,
    *,
    labels: list[str] | None = None,
) -> list[Phrase]:
    out: list[Phrase] = []
    seen: set[str] = set()
    for k, t in enumerate(texts):
        label = labels[k] if labels else t
        plain = normalize(t)
        n = th.canonical(plain)
        # the bank's own spelling too: a pinyin slip in it (掏宝 for 淘宝) is not in the thesaurus
        for v in [n, plain] if plain != n else [n]:
            if v and v not in seen:
                seen.add(v)
                out.append(Phrase(v, label, group))
    return out


def _with_times(texts: list[str]) -> list[str]:
    out = list(texts)
    for t in texts:
        n = normalize(t)
        out += _times(n)
    return out


def _kinds(th: lexicon.CompiledThesaurus, phrases: list[Phrase]) -> list[tuple[str, Phrase]]:
    """A key point asking for 证据 is made by 截图, a kind of it: its phrasings with each kind."""
    out: list[tuple[str, Phrase]] = []
    have = {p.text for p in phrases}
    for p in phrases:
        for broad, narrower in th.narrower.items():
            if broad in p.text and broad != p.text:
                for kind in narrower:
                    v = p.text.replace(broad, kind, 1)
                    if v not in have:
                        have.add(v)
                        out.append((kind, Phrase(v, p.label, p.group)))
    return out


# A negative phrasing's lead (不回购, 拒绝补偿, 不能再投诉, 坚决不进): what follows is what it denies.
_NEG_LEAD_RE = re.compile(
    "^(?:坚决|绝对|千万|一定|肯定)?(?:不能再|不会再|不可以|不能|不会|不要|不用|不再|不该|不应|不得|别再|别|拒绝|婉拒|无法|没法|"
    "不同意|不理会|不)"
)


def _cores_of(phrases: list[Phrase]) -> list[Phrase]:
    """What the point's negative phrasings deny: 不回购 -> 回购, 不能再给钱 -> 给钱 (two characters or more)."""
    out: list[Phrase] = []
    seen: set[str] = set()
    for p in phrases:
        m = _NEG_LEAD_RE.match(p.text)
        if m is None:
            continue
        core = p.text[m.end() :].removeprefix("再")
        if len(core) >= 2 and core not in seen and not any(c in NEGATOR_CHARS for c in core):
            seen.add(core)
            out.append(Phrase(core, p.label, p.group))
    return out


def _heads_of(th: lexicon.CompiledThesaurus, pt: _Point, points: list[_Point]) -> tuple[str, ...]:
    """Trade words (of the thesaurus) that end two or more of the point's phrasings after different
    qualifiers and end none of the other points' (聊天截图, 旺旺截图 -> 截图)."""
    count: dict[str, int] = {}
    for p in pt.phrases:
        for k in range(1, len(p.text) - 1):
            w = p.text[k:]
            if w in th.canon or w in th.narrower:
                count[w] = count.get(w, 0) + 1
                break
    others = [p.text for o in points if o is not pt for p in o.phrases]
    return tuple(w for w, n in count.items() if n >= 2 and not any(t.endswith(w) for t in others))


# A list item's lead and tail that do not change what it names (准备截图, 快递单之类的).
_ITEM_LEAD_RE = re.compile(
    "^(?:还有|以及|还要|需要|准备|提供|附上|上传|要有|要|有|先|把|能看到|看得到|看到|显示|带)?"
)
_ITEM_TAIL_RE = re.compile("(?:等|之类的|之类|啥的|这些|都要|都行|也要)?$")
_ITEM_SPLIT_RE = re.compile("以及|还有|和|跟|与|及|加|\\+")


def _bare_item(pt: _Point, a: Analysed) -> tuple[int, int] | None:
    """Where the answer lists one of the point's heads as an item of its own (截图,快递单,合格证)."""
    flat = a.flat
    cuts = sorted({0, len(flat), *a.bounds, *a.soft})
    for s, e in itertools.pairwise(cuts):
        pos = s
        for piece in [*_ITEM_SPLIT_RE.split(flat[s:e])]:
            ps = flat.find(piece, pos, e) if piece else pos
            pos = ps + len(piece)
            lead = _ITEM_LEAD_RE.match(piece)
            core = piece[lead.end() if lead else 0 :]
            tail = _ITEM_TAIL_RE.search(core)
            core = core[: tail.start()] if tail else core
            if core in pt.heads and not is_negated(a, ps + piece.find(core)):
                k = ps + piece.find(core)
                return k, k + len(core)
    return None


def _counterparts(cores: list[Phrase]) -> re.Pattern[str] | None:
    """A negative decision said the other way: its core allowed (能投诉, 可以直接用, 直接用就行, 买回来也行)."""
    verbs = [c.text for c in cores if not c.text.endswith(("要求", "的话"))]
    if not verbs:
        return None
    alt = "|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True))
    return re.compile(
        f"(?:(?:也|还|都|照样|照常|一样|仍然|依然)?(?:能|可以|可)(?:再|继续)?(?:{alt})(?!不)|"
        f"(?:{alt})(?:也行|也可以|也没事|也没关系|就行|就好|就可以|没问题|没事|吧))"
    )


# --- accepted forms said another way ---------------------------------------------------------------

_HAS_CJK_RE = re.compile("[\u3400-\u9fff]")


_TIMES_RE = re.compile(r"([^\W\d_]{2,})的?(\d+(?:\.\d+)?)倍")


def _times(text: str) -> list[str]:
    """A multiple said with 乘 or × too: 累计销售额10倍 = 累计销售额*10 = 10*累计销售额."""
    m = _TIMES_RE.search(text)
    if m is None:
        return []
    head, n = m.group(1), m.group(2)
    return [text[: m.start()] + f"{head}*{n}" + text[m.end() :], text[: m.start()] + f"{n}*{head}" + text[m.end() :]]


def _equivalents(text: str) -> list[str]:
    """The same accepted form in another order: alternatives swapped (A或B = B或A), factors of a
    product swapped, a comparison read from the other side (a<b = b>a), a quotient as 分之, a
    multiple said with 乘 (累计销售额10倍 = 累计销售额*10)."""
    out = [text, *_times(text)]
    if text.count("<") + text.count(">") == 1:
        op = "<" if "<" in text else ">"
        left, right = text.split(op)
        flip = ">" if op == "<" else "<"
        sides = [(left, right, op), (right, left, flip)]
        for a, b, o in sides:
            for aa in _products(a):
                for bb in _products(b):
                    out.append(f"{aa}{o}{bb}")
    elif text.count("/") == 1:
        a, b = text.split("/")
        if a and b and _HAS_CJK_RE.search(a) and _HAS_CJK_RE.search(b) and not re.search(r"\d", a + b):
            out.append(f"{b}分之{a}")
    else:
        for sep in ("或", "和"):
            for form in list(out):
                parts = form.split(sep)
                if 2 <= len(parts) <= 3 and all(len(p) >= 2 for p in parts):
                    out += [sep.join(p) for p in itertools.permutations(parts)]
    return list(dict.fromkeys(x for x in out if x))


def _without_prompt(forms: list[str], prompt: str, th: lexicon.CompiledThesaurus) -> list[str]:
    """The forms, and each without a lead or tail of two or more characters that the prompt already
    says (商品最低价<… for a prompt about 商品: 最低价<…), where four or more characters remain."""
    out = list(forms)
    for form in forms:
        t = th.canonical(form)
        a = 0
        while a < len(t) and t[: a + 1] in prompt:
            a += 1
        b = len(t)
        while b > a and t[b - 1 :] in prompt:
            b -= 1
        for s, e in ((a, len(t)), (0, b)):
            if (s, e) == (0, len(t)) or not (s >= 2 or len(t) - e >= 2):
                continue
            if (s and t[s - 1].isdigit() and t[s].isdigit()) or (e < len(t) and t[e - 1].isdigit() and t[e].isdigit()):
                continue  # never inside a number
            rest = t[s:e]
            if len(rest) >= 4 and _HAS_CJK_RE.search(rest):
                out.append(rest)
    return list(dict.fromkeys(out))


def _products(side: str) -> list[str]:
    if side.count("*") == 1:
        a, b = side.split("*")
        if a and b:
            return [side, f"{b}*{a}"]
    return [side]


# --- compiling a question ------------------------------------------------------------------------------


def _slot_patterns(
    phrases: list[Phrase], party_words: list[str], own: frozenset[str] = frozenset()
) -> list[re.Pattern[str]]:
    """A key point's phrasings that name a party, with the party left open (运费我们出 -> 运费…X…出).
    With ``own``, only phrasings whose party word is one of those (the point's own party) count:
    in 找小二 for a point the buyer makes, 小二 is whom the buyer turns to, not who acts."""
    if not party_words:
        return []
    alt = "|".join(re.escape(w) for w in sorted(party_words, key=len, reverse=True))
    out: list[re.Pattern[str]] = []
    seen: set[str] = set()
    for p in phrases:
        text = p.text
        for w in sorted(party_words, key=len, reverse=True):
            k = text.find(w)
            if k < 0:
                continue
            if own and w not in own:
                break
            left, right = text[:k], text[k + len(w) :]
            if not left and not right:
                break

            def loose(s: str, *, at_start: bool) -> str:
                for v in _PAY_VERBS:
                    if at_start and s.startswith(v):
                        return _PAY_RE + re.escape(s[len(v) :])
                    if not at_start and s.endswith(v):
                        return re.escape(s[: -len(v)]) + _PAY_RE
                return re.escape(s)

            src = f"{loose(left, at_start=False)}.{{0,3}}?(?P<party>{alt}).{{0,4}}?{loose(right, at_start=True)}"
            if src not in seen:
                seen.add(src)
                out.append(re.compile(src))
            break
    return out


def _compile_free(q: ShortQuestion | ScenarioQuestion) -> _Free:
    th = lexicon.thesaurus()
    is_scenario = isinstance(q, ScenarioQuestion)
    voice = q.voice or ("seller" if is_scenario else "neutral")
    f = _Free(ordered=q.ordered, pass_=q.pass_, voice=voice, th=th, generation=lexicon.generation())
    f.points = [
        _Point(kp.point, kp.weight, _phrases(th, _with_times([*kp.any, kp.point]), 2 + i), kp.required, kp.who)
        for i, kp in enumerate(q.keypoints)
    ]
    for pt in f.points:
        pt.kinds = _kinds(th, pt.phrases)
        pt.cores = _cores_of(pt.phrases)
        pt.heads = _heads_of(th, pt, f.points)
        if pt.required:
            pt.counter = _counterparts(pt.cores)
    literal = [k for k in q.forbidden if isinstance(k, KeyPoint)]
    f.forbidden = [
        _Point(kp.point, kp.weight, _phrases(th, [*kp.any, kp.point], 2 + len(f.points) + i), kp.required, kp.who)
        for i, kp in enumerate(literal)
    ]
    named = {k for k in q.forbidden if isinstance(k, str)}
    allowed = {k.removeprefix("allow-") for k in named if k.startswith("allow-")}
    known = lexicon.classes()
    defaults = {n for n, c in known.items() if c.default} if is_scenario and voice == "seller" else set()
    f.classes = frozenset((defaults | {k for k in named if not k.startswith("allow-")}) - allowed) & frozenset(known)
    groups = [p.phrases + [k for _w, k in p.kinds] for p in f.points] + [p.phrases for p in f.forbidden]
    if groups:
        mark_rivals(groups, contrastive=False)
    party_words = [w for w, _p in f.parties_for(False).words] + [w for w, _p in f.parties_for(True).words]
    party_words = list(dict.fromkeys(party_words))
    word_party = dict(f.parties_for(False).words) | dict(f.parties_for(True).words)
    for pt in f.points:
        if pt.who:
            own = frozenset(w for w, p in word_party.items() if p == pt.who)
            pt.slots = _slot_patterns(pt.phrases, party_words, own)
            got = payment.read_phrases([p.text for p in pt.phrases], f.parties_for(False))
            if got is not None and got[0] == pt.who:
                pt.pays, pt.pays_all = True, got[1]
    for fp in f.forbidden:
        got = payment.read_phrases([p.text for p in fp.phrases], f.parties_for(False))
        if got is not None:
            fp.pays, fp.who = True, got[0]  # (who: the payer it forbids; None for a split)
    if isinstance(q, ShortQuestion):
        prompt = th.canonical(normalize(q.prompt))
        whole = {e for a in q.answers for e in _equivalents(normalize(a))}
        acc = [(e, a) for a in q.answers for e in _without_prompt(_equivalents(normalize(a)), prompt, th)]
        f.shortened = frozenset(th.canonical(e) for e, _a in acc if e not in whole)
        rej = [(e, x) for x in q.reject for e in _without_prompt(_equivalents(normalize(x)), prompt, th)]
        f.accepted = _phrases(th, [e for e, _ in acc], 0, labels=[a for _, a in acc])
        f.rejected = _phrases(th, [e for e, _ in rej], 1, labels=[x for _, x in rej])
        if f.rejected:
            mark_rivals([f.accepted, f.rejected], contrastive=True)
        f.cores = _cores(f, th.canonical(normalize(q.prompt)))
        if q.threshold is not None:
            f.cutoff = float(q.threshold)
    f.prompt_orig = normalize(q.prompt)
    f.prompt = th.canonical(f.prompt_orig)
    f.prompt_grams = semantics.prompt_grams(f.prompt)
    f.prompt_orig_grams = semantics.prompt_grams(f.prompt_orig)
    if isinstance(q, ShortQuestion):
        f.payer = _payer_of(f)
        f.slots = _slots_of(q, th)
        f.numbered = _numbered(f.points)
    return f


def _slots_of(q: ShortQuestion, th: lexicon.CompiledThesaurus) -> dict[str, tuple[str, ...]]:
    """Words an accepted and a rejected form share at the end of one alternative, after qualifiers
    that differ (该店铺全部累计 / 近30天 + 销售额10倍): the accepted qualifiers of those words."""
    acc = [th.canonical(normalize(a)) for a in q.answers]
    rej = [th.canonical(normalize(x)) for x in q.reject]
    out: dict[str, set[str]] = {}
    for a in acc:
        for x in rej:
            pa, px = a.split("或"), x.split("或")
            if len(pa) != len(px):
                continue
            for sa, sx in zip(pa, px, strict=True):
                k = 0
                while k < min(len(sa), len(sx)) and sa[-1 - k] == sx[-1 - k]:
                    k += 1
                tail = sa[len(sa) - k :]
                qa, qx = sa[: len(sa) - k], sx[: len(sx) - k]
                if len(_HAS_CJK_RE.findall(tail)) < 3 or not qa or not qx or any(c.isdigit() for c in qa):
                    continue
                for t in [tail, *_times(tail)]:
                    if t[0].isdigit():
                        continue
                    out.setdefault(t.replace("的", ""), set()).add(qa.replace("的", ""))
    return {t: tuple(sorted(qs, key=len)) for t, qs in out.items()}


_QUALIFIER_STOP = frozenset("或者和及、是为罚按")


def _slot_read(f: _Free, flat: str) -> tuple[str, str, str] | None:
    """An answer's qualifier before a slot's words: ("rival", qualifier, "") when it is none of the
    accepted ones (近1个月销售额10倍 for 全部累计销售额10倍), ("bare", "", the answer with the accepted
    qualifier put in) when it has none (销售额10倍), else None."""
    nod = flat.replace("的", "")
    for tail, quals in f.slots.items():
        k = nod.find(tail)
        if k < 0:
            continue
        j = k
        while j > 0 and nod[j - 1] not in _QUALIFIER_STOP and k - j < 10 and not nod[j - 1].isdigit():
            j -= 1
        qual = nod[j:k]
        if not qual:
            return "bare", "", nod[:k] + quals[0] + nod[k:]
        said = sound(qual)
        if qual in quals or any(said[i : i + 2] in sound(qa) for qa in quals for i in range(len(said) - 1)):
            return None  # (a homophone typed for the qualifier is still it)
        return "rival", qual + tail, ""
    return None


_NUMBER_IN_RE = re.compile(r"\d+(?:\.\d+)?")


def _numbered(points: list[_Point]) -> list[tuple[re.Pattern[str], float, str]]:
    """Key point phrasings that carry one number inside words (累计销售额10倍), with the number open."""
    out: list[tuple[re.Pattern[str], float, str]] = []
    for pt in points:
        for p in pt.phrases:
            ms = list(_NUMBER_IN_RE.finditer(p.text))
            if len(ms) != 1:
                continue
            m = ms[0]
            before, after = p.text[: m.start()].replace("的", ""), p.text[m.end() :]
            if len(_HAS_CJK_RE.findall(before + after)) < 3 or not before or not after:
                continue
            src = "的?".join(re.escape(c) for c in before) + r"的?(\d+(?:\.\d+)?)" + re.escape(after)
            out.append((re.compile(src), float(m.group(0)), pt.label))
    return out


def _wrong_number(f: _Free, flat: str) -> tuple[str, str] | None:
    """A key point said with another number (累计销售额的100倍 for 累计销售额10倍): (point, words)."""
    said: dict[str, bool] = {}
    wrong: dict[str, str] = {}
    for pat, value, label in f.numbered:
        for m in pat.finditer(flat):
            if float(m.group(1)) == value:
                said[label] = True
            else:
                wrong.setdefault(label, m.group(0))
    for label, words in wrong.items():
        if not said.get(label):
            return label, words
    return None


_PAY_PROMPT_RE = re.compile("运费|费用|谁承担|谁出|谁付|由谁|谁负担")


def _payer_of(f: _Free) -> Party | None:
    """The party a short who-pays question's accepted forms all name (商家, 由商家承担), if it is one."""
    if not f.accepted or not f.rejected or not _PAY_PROMPT_RE.search(f.prompt):
        return None
    parties = f.parties_for(False)
    named: set[Party] = set()
    for p in f.accepted:
        found = {party for _s, _e, party in parties.in_text(p.text, 0, len(p.text))}
        if len(found) != 1:
            return None
        named |= found
    return next(iter(named)) if len(named) == 1 else None


def _cores(f: _Free, prompt: str) -> list[tuple[Phrase, str]]:
    """What each accepted (and rejected) form adds to the prompt: 按展示扣费 for 按什么扣费 adds 展示."""
    out: list[tuple[Phrase, str]] = []
    for p in [*f.accepted, *f.rejected]:
        t = p.text
        a = 0
        while a < len(t) and t[: a + 1] in prompt:
            a += 1
        b = len(t)
        while b > a and t[b - 1 :] in prompt:
            b -= 1
        core = t[a:b]
        if 2 <= len(core) < len(t) and core not in prompt:
            out.append((p, core))
    return out


def _said_with_prompt(t: str, frag: str, prompt: str) -> bool:
    """Whether ``t`` is ``frag`` with only words of the prompt before and after it."""
    k = t.find(frag)
    while k >= 0:
        if (not t[:k] or t[:k] in prompt) and (not t[k + len(frag) :] or t[k + len(frag) :] in prompt):
            return True
        k = t.find(frag, k + 1)
    return False


_LEAD_FILLER = str.maketrans("", "", "当在若的了")
# What may stand before an accepted form said without the prompt's words (是时间和用户名).
_LEAD_OK_RE = re.compile(
    "(?:我觉得|我认为|答案是|答案|应该是|应该|就是|是|要|要有|有|需要|必须|包括|能看到|看得到|看到|要看到|显示|写|按|按照)+"
)
_HEDGE_HEAD_RE = re.compile(
    "^(?:答案是|答案|我觉得是|我觉得|我认为是|我认为|应该是|应该|大概是|可能是|就是|是)?(?:看|靠|凭|取决于|根据)?"
)
_HEDGE_TAIL_RE = re.compile("(?:量|次数|的次数|数量)?(?:吧|吗|呢|啊|哈|呀|的|了|哦|嘛|啦)*$")


def _ellipsis(f: _Free, ans: Answer) -> Phrase | None:
    """An answer that is what an accepted form adds to the prompt (按展示 for 按什么扣费), and
    cannot be read as what a rejected form adds: the accepted form it stands for."""
    if not f.cores or ans.a.bounds[1:-1]:
        return None
    frag = _HEDGE_TAIL_RE.sub("", _HEDGE_HEAD_RE.sub("", ans.flat))
    if len(frag) < 2 or any(c in NEGATOR_CHARS for c in frag):
        return None
    found: Phrase | None = None
    for p, core in f.cores:
        if core in frag and _said_with_prompt(p.text, frag, f.prompt):
            if p.group == 1:
                return None  # as much a rejected form as an accepted one
            found = found or p
    return found


def _free_of(q: ShortQuestion | ScenarioQuestion) -> _Free:
    f: _Free = _compiled(q, _compile_free)
    if f.generation != lexicon.generation():  # a trainer's thesaurus or classes came in since
        from quiz.grading.common import _meta

        _meta(q).compiled = None
        f = _compiled(q, _compile_free)
    return f


# --- reading an answer ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Read:
    reading: semantics.Reading
    ans: Answer  # the thesaurus's words, copied prompt text masked
    orig: Answer  # as written
    copied: list[tuple[int, int]]  # in ans (canonical)
    copied_orig: list[tuple[int, int]]
    parties: semantics.Parties


def _mask(a: Analysed, spans: list[tuple[int, int]]) -> Analysed:
    if not spans:
        return a
    chars = list(a.flat)
    for s, e in spans:
        for k in range(s, e):
            chars[k] = _MASK
    return Analysed("".join(chars), a.bounds, a.soft, a.weak, a.sentences, a.quotes, a.asks)


def _read(f: _Free, raw: str) -> _Read:
    reading = semantics.read(raw[:MAX_ANSWER], f.th)
    copied = semantics.copied_spans(reading.canon.flat, f.prompt_grams, f.prompt)
    if not (f.classes or f.forbidden):
        copied_orig: list[tuple[int, int]] = []
    elif not reading.reps and f.prompt_orig == f.prompt:
        copied_orig = copied  # (nothing rewritten on either side: the same stretches)
    else:
        copied_orig = semantics.copied_spans(reading.orig.flat, f.prompt_orig_grams, f.prompt_orig)
    copied_len = sum(e - s for s, e in copied)
    boss = f.voice == "seller" and semantics.addressing_boss(raw)
    if (
        copied_len < semantics.RESTATED * len(reading.canon.flat)
        or copied_len < semantics.RESTATED_MIN
        or (
            f.voice == "seller" and not boss and semantics.addressing_buyer(raw)
            # (what it copies tells the buyer facts, not the situation: 买家拆了吊牌… restates it)
            and not any(semantics.names_buyer(reading.canon.flat, s, e, f.th) for s, e in copied)
        )
    ):
        # the prompt's facts used in an answer of its own (M码有货 relayed to the buyer), or in a reply
        # addressed to the buyer (亲，…), still count; only an answer that mostly restates the prompt
        # earns nothing for what it copies
        copied = []
    return _Read(
        reading, Answer(_mask(reading.canon, copied)), Answer(reading.orig), copied, copied_orig, f.parties_for(boss)
    )


# --- key points -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Found:
    index: int
    start: int
    words: str
    how: str


@dataclass(slots=True)
class _Points:
    score: float
    need_met: bool
    found: list[_Found]
    missed: list[str]
    negated: list[str]
    role: list[tuple[str, str, Party]]  # (point, words, the party the answer gave it to)
    required_missing: list[str]
    violations: list[tuple[str, str, str]]  # (label, label_en, words)
    ignored: list[tuple[str, str]]  # (words, why)
    out_of_order: list[str]
    copied: list[str]
    # required decisions the answer takes the other way: (point, words) — 运费券没门槛, 超过15天也能投诉
    contradicted: list[tuple[str, str]] = field(default_factory=list)
    spans: list[list[int | str]] = field(default_factory=list)  # details["spans"], see result.py


# how a hit was found -> the kind of its span (result.py): found as written, or with a slip forgiven
_SPAN_KIND = {"typo": "typo", "homophone": "homophone"}
# which of two overlapping spans is drawn: what fails the answer, then what is not counted
_SPAN_RANK = {"violation": 4, "negated": 3, "typo": 2, "homophone": 2, "matched": 1}


def _spans(r: _Read, marks: list[tuple[int, int, str, str, bool]]) -> list[list[int | str]]:
    """``marks`` (start, end, kind, label, in the canonical text or else as written) as spans of the
    raw answer: those that can be placed exactly, sorted, the stronger of two that overlap kept."""
    placed: list[tuple[int, int, str, str]] = []
    for s, e, kind, label, canon in sorted(marks, key=lambda m: -_SPAN_RANK[m[2]]):
        at = r.reading.raw_span(s, e, canon=canon)
        if at is not None and not any(at[0] < pe and ps < at[1] for ps, pe, _k, _l in placed):
            placed.append((at[0], at[1], kind, label))
    return [[s, e, kind, label] for s, e, kind, label in sorted(placed)]


def _party_of_hit(r: _Read, h: Hit) -> Party | None:
    return semantics.agent(r.ans.a, r.parties, h.start, h.end)


def _find_point(
    f: _Free, pt: _Point, r: _Read
) -> tuple[Hit | None, Phrase | None, Hit | None, tuple[str, Party] | None]:
    """The point's best stated hit that its party allows: (hit, phrase, where it is said negated,
    given to another party)."""
    h, p, neg, given = _find_phrases(f, pt, r)
    if h is None and pt.cores:
        got = _core_denied(f, pt, r.ans)
        if got is not None:
            return got[0], got[1], None, given
    if h is None and pt.heads and (item := _bare_item(pt, r.ans.a)) is not None:
        return Hit(item[0], item[1], 90.0, "exact", False), pt.phrases[0], None, given
    return h, p, neg, given


def _find_phrases(
    f: _Free, pt: _Point, r: _Read
) -> tuple[Hit | None, Phrase | None, Hit | None, tuple[str, Party] | None]:
    ans = r.ans
    given: tuple[str, Party] | None = None
    phrases = pt.for_answer(ans.flat)
    for _ in range(4):
        got = find_best(phrases, ans, cutoff=f.cutoff)
        if got is None:
            return None, None, None, given
        p, h = got
        if h.negated:
            return None, p, (None if h.by_other else h), given
        if pt.who:
            party = semantics.agent(ans.a, r.parties, h.start, h.end)
            if party is not None and party != pt.who:
                given = given or (r.reading.words(h.start, h.end), party)
                ans = Answer(_mask(ans.a, [(h.start, h.end)]))
                continue
        return h, p, None, given
    return None, None, None, given


def _core_denied(f: _Free, pt: _Point, ans: Answer) -> tuple[Hit, Phrase] | None:
    """A negative point (不回购, 不能打电话) made by what it denies, waved off or condemned:
    回购没必要, 买回来白搭, 打电话骂他只会被扣分, 骚扰买家会被扣分."""
    for core in pt.cores:
        h = locate(core, ans, cutoff=f.cutoff, typos=False)
        if h is None or h.by_other:
            continue
        if h.negated:
            # waved off (回购没必要); a plain negation is the negative phrasing's own business, and a
            # negator nearer another word is not this one's (运费券没门槛直接用: 没 denies 门槛, not 直接用)
            if waved_off(ans.a, h.end) and not is_negated(ans.a, h.start):
                return Hit(h.start, h.end, h.quality, h.how, False), core
        elif semantics.explained(ans.a, h.start, h.end) or is_topic(ans.a, h.start, h.end):
            return Hit(h.start, h.end, h.quality, h.how, False), core
    return None


# What limits an allowed action to a condition, which agrees with a negative decision (15天内才能投诉).
_LIMITED_RE = re.compile("(?:才|只有|只能|只可以|以内|之内|内|之前|以前|前)$")


def _contradiction(pt: _Point, r: _Read) -> str | None:
    """Where the answer says a required negative decision the other way (超过15天也能投诉, 直接用就行)."""
    if pt.counter is None:
        return None
    a = r.ans.a
    for m in pt.counter.finditer(a.flat):
        s, e = m.span()
        cs = a.clause_start(s)
        if a.asking(s) or is_negated(a, s) or semantics.conditional(a, s) or by_other(a, s):
            continue
        if _LIMITED_RE.search(a.flat, cs, s) or semantics.explained(a, s, e):
            continue
        return r.reading.words(s, e)
    return None


def _paid(pt: _Point, r: _Read) -> tuple[str, tuple[int, int], Party] | None:
    """How the answer's statements of who pays bear on a who-pays point: ("clash", where, the other
    payer) when any gives the cost (or part of it) to another party; ("full" | "half", where, who)
    when they give it to the point's party, all of it or one part of a cost the point says in full
    (来回运费: 修好我们包邮寄回 alone is half); None when the answer says nothing of who pays."""
    assert pt.who is not None
    ps = payment.payments(r.ans.a, r.parties)
    if not ps:
        return None
    for p in ps:
        if p.split or p.party != pt.who:
            return "clash", (p.start, p.end), p.party if p.party is not None else _OTHER_PARTY[pt.who]
    first = (ps[0].start, ps[0].end)
    if not pt.pays_all or any(p.total for p in ps):
        return "full", first, pt.who
    clauses = {r.ans.a.clause_start(p.start) for p in ps}
    return ("full" if len(clauses) > 1 else "half"), first, pt.who


_OTHER_PARTY: dict[Party, Party] = {"seller": "buyer", "buyer": "seller", "platform": "seller"}


def _slot_hits(pt: _Point, r: _Read) -> tuple[tuple[int, int] | None, tuple[str, Party] | None]:
    """The point's phrasing with the party named in it (运费我们出, 运费由您承担, 来回运费我们都包了):
    where the answer says it of the point's party, and where it gives it to another party."""
    a = r.ans.a
    mine: tuple[int, int] | None = None
    clash: tuple[str, Party] | None = None
    for pat in pt.slots:
        for m in pat.finditer(a.flat):
            s, e = m.span()
            if any(s < b < e and b not in a.weak for b in a.bounds):
                continue
            hit = r.parties.at(a.flat, m.start("party"))
            if hit is None or a.asking(s):  # 卖家有权要求删评吗? asks, it does not say
                continue
            if any(c in NEGATOR_CHARS for c in a.flat[s:e]) or is_negated(a, s) or semantics.explained(a, s, e):
                continue
            if hit[1] == pt.who:
                mine = mine or (s, e)
            elif clash is None:
                clash = (r.reading.words(s, e), hit[1])
    return mine, clash


def _grade_points(f: _Free, r: _Read) -> _Points:
    hits: list[tuple[int, int]] = []  # (point index, position)
    found: dict[int, _Found] = {}
    where: dict[int, tuple[int, int, str]] = {}  # point index -> (start, end, span kind), canonical
    marks: list[tuple[int, int, str, str, bool]] = []  # spans to draw: see _spans
    negated: list[str] = []
    role: list[tuple[str, str, Party]] = []
    halves: set[int] = set()  # points only partly made (one leg of 来回运费)
    for i, pt in enumerate(f.points):
        if pt.pays:
            said = _paid(pt, r)
            if said is not None:
                kind, at, party = said
                if kind == "clash":
                    role.append((pt.label, r.reading.words(*at), party))
                    continue
                hits.append((i, at[0]))
                found[i] = _Found(i, at[0], r.reading.words(*at), "party")
                where[i] = (*at, "matched")
                if kind == "half":
                    halves.add(i)
                continue
        h, _p, neg, given = _find_point(f, pt, r)
        if pt.who and pt.slots:
            mine, clash = _slot_hits(pt, r)
            if clash is not None:  # the answer gives (part of) it to another party: not made
                role.append((pt.label, clash[0], clash[1]))
                continue
            if h is None and mine is not None:
                hits.append((i, mine[0]))
                found[i] = _Found(i, mine[0], r.reading.words(*mine), "party")
                where[i] = (*mine, "matched")
                continue
        if h is None:
            if neg:
                negated.append(pt.label)
                marks.append((neg.start, neg.end, "negated", pt.label, True))
            if given is not None:
                role.append((pt.label, given[0], given[1]))
            continue
        hits.append((i, h.start))
        found[i] = _Found(i, h.start, r.reading.words(h.start, h.end), h.how)
        where[i] = (h.start, h.end, _SPAN_KIND.get(h.how, "matched"))
    viol: list[tuple[str, str, str]] = []
    ignored: list[tuple[str, str]] = []
    literal_spans: list[tuple[int, int]] = []
    for fp in f.forbidden:
        span = _forbidden_hit(f, fp, r)
        if span is not None:
            viol.append((fp.label, fp.label, r.orig.flat[span[0] : span[1]]))
            literal_spans.append(span)
            marks.append((*span, "violation", fp.label, False))
    if f.classes:
        vs, ms = violations.find(r.orig.a, f.classes, r.copied_orig, _other_party(f, r))
        for v in vs:
            if any(s < le and ls < e for s, e in v.spans for ls, le in literal_spans):
                continue  # the bank's own forbidden action already names these words
            words = "…".join(r.orig.flat[s:e] for s, e in v.spans)
            viol.append((v.label, v.label_en, words))
            marks += [(s, e, "violation", v.label, False) for s, e in v.spans]
        for m in ms:
            ignored.append((r.orig.flat[m.start : m.end], m.status))
    counted = {i for i, _ in hits}
    out_of_order: list[str] = []
    if f.ordered and len(hits) > 1:
        counted = _ordered_best(hits, [p.weight for p in f.points])
        out_of_order = [f.points[i].label for i, _ in hits if i not in counted]
    total = sum(p.weight for p in f.points) or 1.0
    got = sum(f.points[i].weight * (0.5 if i in halves else 1.0) for i in counted)
    required_missing = [p.label for i, p in enumerate(f.points) if p.required and (i not in counted or i in halves)]
    contradicted: list[tuple[str, str]] = []
    for i, pt in enumerate(f.points):
        if not pt.required:
            continue
        if i not in counted and pt.label in negated:
            contradicted.append((pt.label, ""))  # the decision denied: 运费券没门槛
        elif (against := _contradiction(pt, r)) is not None:
            contradicted.append((pt.label, against))  # the decision said the other way: 超过15天也能投诉
    met = got + 1e-9 >= f.pass_ * total and got > 0 and not required_missing and not contradicted
    role_labels = {x[0] for x in role}
    marks += [(*where[i], f.points[i].label, True) for i in counted if i in where]
    return _Points(
        score=got / total,
        need_met=met,
        found=[found[i] for i in sorted(counted)],
        missed=[
            p.label
            for i, p in enumerate(f.points)
            if i not in counted and p.label not in out_of_order and p.label not in role_labels
        ],
        negated=negated,
        role=role,
        required_missing=required_missing,
        violations=viol,
        ignored=list(dict.fromkeys(ignored)),
        out_of_order=out_of_order,
        copied=[r.reading.words(s, e) for s, e in r.copied],
        contradicted=contradicted,
        spans=_spans(r, marks) if marks else [],
    )


def _other_party(f: _Free, r: _Read) -> violations.OtherParty:
    """Whether someone other than the learner's side acts at a place (买家要报复, 卖家的恐吓)."""
    me: Party | None = "seller" if f.voice == "seller" else "buyer" if f.voice == "buyer" else None
    if me is None:
        return lambda _a, _s, _e: False
    parties = r.parties

    def other(a: Analysed, s: int, e: int) -> bool:
        p = semantics.agent(a, parties, s, e, inner=False)
        return p is not None and p != me

    return other


def _forbidden_hit(f: _Free, fp: _Point, r: _Read) -> tuple[int, int] | None:
    """Where the answer states a literal forbidden action, or None."""
    if fp.pays:
        for p in payment.payments(r.ans.a, r.parties):
            if (p.split and fp.who != "seller") or (not p.split and p.party == fp.who):
                return _orig_span(r, p.start, p.end)
    ans = r.orig
    hits = [h for p in fp.phrases if (h := locate(p, ans, cutoff=f.cutoff, typos=False, homophones=False, agent=True))]
    unsaid = [h for h in hits if h.negated]
    for h in hits:
        if h.negated:
            continue
        # a stated hit inside a longer phrasing's unstated one (骂 in 不要辱骂, in 辱骂买家会被扣分) does not count
        if any(u.start <= h.start and h.end <= u.end and u.end - u.start > h.end - h.start for u in unsaid):
            continue
        if semantics.inside(r.copied_orig, h.start, h.end) or semantics.explained(ans.a, h.start, h.end):
            continue
        if fp.who is not None and semantics.agent(ans.a, r.parties, h.start, h.end) != fp.who:
            continue
        return h.start, h.end
    return None


def _orig_span(r: _Read, start: int, end: int) -> tuple[int, int]:
    """A span of the canonical answer as a span of the answer as written."""
    return r.reading.orig_span(start, end)


def _ordered_best(hits: list[tuple[int, int]], weights: list[float]) -> set[int]:
    """The heaviest set of found points whose positions follow the required order."""
    hs = sorted(hits)
    best: list[float] = []
    prev: list[int] = []
    for k, (i, pos) in enumerate(hs):
        b, pv = weights[i], -1
        for j in range(k):
            if hs[j][1] < pos and best[j] + weights[i] > b:
                b, pv = best[j] + weights[i], j
        best.append(b)
        prev.append(pv)
    k = max(range(len(hs)), key=lambda j: best[j])
    out: set[int] = set()
    while k >= 0:
        out.add(hs[k][0])
        k = prev[k]
    return out


# --- feedback ---------------------------------------------------------------------------------------------


_WHY_ZH = {
    "negated": "被否定",
    "other": "是别人的做法",
    "explained": "是在解释或批评",
    "prompt": "照抄题目",
    "asked": "是在提问",
}
_WHY_EN = {
    "negated": "negated",
    "other": "done by someone else",
    "explained": "explained or criticised",
    "prompt": "copied from the question",
    "asked": "asked, not said",
}


def _q(words: str) -> str:
    return tr(f"“{words}”", f"“{words}”")


def _cited(label: str, words: str) -> str:
    """A key point with the learner's words that made it: 保留证据（“截图”） / keeping evidence (“截图”)."""
    return tr(f"{label}（{_q(words)}）", f"{label} ({_q(words)})")


def _points_result(q: AnyQuestion, f: _Free, pr: _Points, nearest: str | None = None) -> GradeResult:
    labels = [f.points[x.index].label for x in pr.found]
    kw: dict[str, Any] = {
        "found": tuple(labels),
        "missed": tuple(pr.missed + pr.out_of_order + [x[0] for x in pr.role]),
        "violations": tuple(v[0] for v in pr.violations),
        "nearest": nearest,
        "details": {
            "found": [
                {"point": f.points[x.index].label, "words": x.words, "how": x.how} for x in pr.found
            ],
            "violations": [{"point": v[0], "words": v[2]} for v in pr.violations],
            "ignored": [{"words": w, "why": why} for w, why in pr.ignored],
            "role": [{"point": p, "words": w, "party": party} for p, w, party in pr.role],
            "required_missing": list(pr.required_missing),
            "copied": list(pr.copied),
            "contradicted": [{"point": p, "words": w} for p, w in pr.contradicted],
        },
    }
    if pr.spans:
        kw["details"]["spans"] = pr.spans
    parts: list[str] = []
    if pr.violations:
        vs = _list([_cited(tr(v[0], v[1]), v[2]) for v in pr.violations])
        parts.append(tr(f"出现了不应有的做法：{vs}，本题 0 分", f"A move that must not be made: {vs}; 0 points"))
    if pr.contradicted:
        cs_ = _list([_cited(p, w) if w else p for p, w in pr.contradicted])
        parts.append(
            tr(f"与关键决定相反：{cs_}，本题 0 分", f"The decision the question turns on is taken the other way: {cs_}; 0 points")
        )
    if pr.found:
        fs = _list([_cited(f.points[x.index].label, x.words) for x in pr.found])
        parts.append(tr(f"要点已答到：{fs}", f"Key points made: {fs}"))
    if pr.required_missing:
        rm = _list(pr.required_missing)
        parts.append(
            tr(f"缺少关键决定：{rm}，不能判为正确", f"The decision the question turns on is missing: {rm}")
        )
    plain_missed = [m for m in pr.missed if m not in pr.negated and m not in pr.required_missing]
    if plain_missed:
        parts.append(tr(f"缺少：{_list(plain_missed)}", f"Missing: {_list(plain_missed)}"))
    if pr.role:
        rs = _list([
            tr(f"{p}（{_q(w)}：{_PARTY_ZH[party]}）", f"{p} ({_q(w)}: {_PARTY_EN[party]})") for p, w, party in pr.role
        ])
        parts.append(tr(f"当事方不对，不计分：{rs}", f"Given to another party, not counted: {rs}"))
    if pr.out_of_order:
        parts.append(tr(f"顺序不对，未计分：{_list(pr.out_of_order)}", f"Out of order, not counted: {_list(pr.out_of_order)}"))
    if pr.negated:
        parts.append(tr(f"被否定，不计分：{_list(pr.negated)}", f"Negated, not counted: {_list(pr.negated)}"))
    if pr.copied:
        cs = _list([_q(c) for c in pr.copied])
        parts.append(tr(f"照抄题目的部分不计分：{cs}", f"Copied from the question, not counted: {cs}"))
    if pr.ignored and not pr.violations:
        ig = _list([tr(f"{_q(w)}（{_WHY_ZH[why]}）", f"{_q(w)} ({_WHY_EN[why]})") for w, why in pr.ignored[:4]])
        parts.append(tr(f"只是提到、不算做法：{ig}", f"Mentioned, not done: {ig}"))
    sep = tr("；", ". ")  # in English a list of points is parted by ";", so each part is a sentence
    text = sep.join(p.rstrip("。.") for p in parts) + tr("。", ".")
    if pr.violations or pr.contradicted or any(p in pr.required_missing for p, _w, _party in pr.role):
        # a forbidden move, or the decision itself given to the wrong party (寄回的运费您出): wrong
        return _result(q, "wrong", 0, text, **kw)
    if pr.need_met:
        return _result(q, "correct", pr.score, tr("正确。", "Correct. ") + text, **kw)
    if pr.score > 0:
        return _result(q, "partial", pr.score, tr("部分正确。", "Partly correct. ") + text, **kw)
    lead = tr("未答到任何要点。", "No key point made. ") if not pr.negated else ""
    return _result(q, "wrong", 0, lead + text, **kw)


# --- 填空/简答 -------------------------------------------------------------------------------------------


def _span_in(inner: Hit, outer: Hit) -> bool:
    return (
        outer.start <= inner.start and inner.end <= outer.end and (outer.end - outer.start) > (inner.end - inner.start)
    )


def _nearest(phrases: list[Phrase], ans: Answer) -> tuple[Phrase | None, float]:
    best: Phrase | None = None
    score = -1.0
    for p in phrases:
        s = fuzz.ratio(ans.flat, p.text)
        if s > score:
            best, score = p, s
    return best, score


def _why_not(ans: Answer, near: Phrase) -> str:
    """Where a near miss differs from the nearest accepted answer, when that is short to say."""
    from rapidfuzz.distance import Levenshtein

    if sorted(numbers(ans.flat)) != sorted(numbers(near.text)) and numbers(near.text):
        return tr("：数字不对", ": a number differs")
    if fuzz.ratio(ans.flat, near.text) < 60:
        return ""
    diffs = [op for op in Levenshtein.opcodes(ans.flat, near.text) if op.tag != "equal"]
    if not diffs or len(diffs) > 2:
        return ""
    parts = []
    for op in diffs:
        said, want = ans.flat[op.src_start : op.src_end], near.text[op.dest_start : op.dest_end]
        if len(said) > 6 or len(want) > 6:
            return ""
        if op.tag == "replace":
            parts.append(tr(f"「{said}」应为「{want}」", f"“{said}” should be “{want}”"))
        elif op.tag == "delete":
            parts.append(tr(f"多了「{said}」", f"extra “{said}”"))
        else:
            parts.append(tr(f"少了「{want}」", f"missing “{want}”"))
    return tr("：", ": ") + tr("，", ", ").join(parts)


def _empty(q: AnyQuestion, f: _Free) -> GradeResult:
    if isinstance(q, ShortQuestion):
        return _result(q, "wrong", 0, tr(f"未作答。参考答案：{q.answers[0]}", f"No answer. Expected: {q.answers[0]}"))
    labels = [p.label for p in f.points]
    return _result(
        q, "wrong", 0, tr("未作答。要点：", "No answer. Key points: ") + _list(labels), missed=tuple(labels)
    )


def _grade_short(q: ShortQuestion, raw: str) -> GradeResult:
    f = _free_of(q)
    tail = semantics.correction_tail(raw)
    if tail is not None:
        first = _grade_short_text(q, f, tail)
        if first.verdict != "wrong":
            note = tr("（按更正后的答案评分）", " (graded on the corrected answer)")
            return _with_note(_shifted(first, len(raw.rstrip()) - len(tail)), note)  # (the tail ends raw)
    got = _grade_short_text(q, f, raw)
    if got.verdict != "correct" and f.cores and any(c in NEGATOR_CHARS for c in raw):
        kept = _affirmed(f, raw)
        if kept is not None:
            second = _grade_short_text(q, f, kept)
            if second.verdict == "correct":
                return _with_note(_unplaced(second), tr("（否定的说法不计，按肯定的部分评分）",
                                             " (what the answer denies set aside)"))
    return got


def _affirmed(f: _Free, raw: str) -> str | None:
    """The answer without what it denies of the question's alternatives: 是按展示,不是按点击 -> 是按展示;
    看展示,点击不收钱 -> 看展示; 不按点击按展示 -> 按展示. None when it denies none of them."""
    r = _read(f, raw)
    a = r.ans.a
    flat = a.flat
    cores = {c for _p, c in f.cores if not any(ch in NEGATOR_CHARS for ch in c)}
    cores = {c for c in cores if not any(o != c and o in c for o in cores)}  # the smallest
    cut: list[tuple[int, int]] = []
    for core in cores:
        k = flat.find(core)
        while k >= 0:
            e = k + len(core)
            cs, ce = a.clause_start(k), a.clause_end(k)
            before = is_negated(a, k)
            if before:  # (不按点击按展示: the negator is 点击's, the nearer)
                spans = negator_spans(flat[cs:k])
                gap = flat[cs + spans[-1][1] : k] if spans else ""
                before = not any(o != core and o in gap for o in cores)
            after = negated_after(a, Hit(k, e, 100.0, "exact", False))
            if before or after:
                others = [o for o in cores if o != core and o in flat[cs:ce]]
                if others and before:
                    spans = negator_spans(flat[cs:k])
                    cut.append((cs + spans[-1][0] if spans else cs, e))
                elif not others:
                    cut.append((cs, ce))
            k = flat.find(core, k + 1)
    if not cut:
        return None
    keep = "".join(ch for i, ch in enumerate(flat) if not any(s <= i < e for s, e in cut))
    keep = keep.replace(_MASK, "")
    return keep if len(keep) >= 2 else None


def _shifted(r: GradeResult, by: int) -> GradeResult:
    """``r`` on a part of the answer that starts ``by`` characters in: its spans moved there."""
    spans = r.details.get("spans")
    if not spans or not by:
        return r
    import dataclasses

    return dataclasses.replace(r, details={**r.details, "spans": [[s + by, e + by, *rest] for s, e, *rest in spans]})


def _unplaced(r: GradeResult) -> GradeResult:
    """``r`` on a text made from the answer (what it denies cut out): no spans, its offsets are not the answer's."""
    if "spans" not in r.details:
        return r
    import dataclasses

    return dataclasses.replace(r, details={k: v for k, v in r.details.items() if k != "spans"})


def _with_note(r: GradeResult, note: str) -> GradeResult:
    import dataclasses

    return dataclasses.replace(r, feedback=r.feedback + note)


def _grade_short_text(q: ShortQuestion, f: _Free, raw: str, *, filled: bool = False) -> GradeResult:
    r = _read(f, raw)
    ans = r.ans
    expected = q.answers[0]
    if not ans.flat.replace(_MASK, ""):
        return _empty(q, f) if not r.reading.orig.flat else _result(
            q, "wrong", 0, tr(f"只是照抄了题目。参考答案：{expected}", f"Only the question copied. Expected: {expected}")
        )
    if f.payer is not None:
        by_payer = _who_pays_short(q, f, r)
        if by_payer is not None:
            return by_payer
    acc = find_best(f.accepted, ans, cutoff=f.cutoff, first_exact=False)
    rej = find_best(f.rejected, ans, cutoff=f.cutoff, first_exact=False) if f.rejected else None
    acc_hit = acc[1] if acc and not acc[1].negated and acc[1].quality >= f.cutoff else None
    if acc_hit and acc and acc[0].text in f.shortened:
        lead = ans.flat[ans.a.clause_start(acc_hit.start) : acc_hit.start]
        bare = lead.translate(_LEAD_FILLER)
        if bare and bare not in f.prompt and not _LEAD_OK_RE.fullmatch(lead):
            # 下单时间和用户名: what stands before is another qualifier, not the prompt's words
            acc = find_best([p for p in f.accepted if p.text not in f.shortened], ans, cutoff=f.cutoff,
                            first_exact=False)
            acc_hit = acc[1] if acc and not acc[1].negated and acc[1].quality >= f.cutoff else None
    if acc_hit and (negated_after(ans.a, acc_hit) or (is_question(raw) and len(ans.flat) <= 16)):
        acc_hit = None  # 卖家不承担 / 商家不用出 deny what 卖家 would answer; 可以吗 asks
    rej_hit = rej[1] if rej and not rej[1].negated else None
    if rej_hit and acc_hit and negated_after(ans.a, rej_hit):
        rej_hit = None  # 买家不承担，商家承担: the wrong answer is denied, the right one said
    if acc_hit and rej_hit:
        if _span_in(acc_hit, rej_hit):
            acc_hit = None
        elif _span_in(rej_hit, acc_hit):
            rej_hit = None
    found_near: list[Phrase | None] = []

    def near_form() -> Phrase | None:  # (only a wrong answer's feedback needs it)
        if not found_near:
            found_near.append(_nearest(f.accepted, ans)[0])
        return found_near[0]

    def nearest() -> str | None:
        p = near_form()
        return p.label if p else None

    if rej_hit and rej:
        return _result(
            q,
            "wrong",
            0,
            tr(f"错误：与错误答案「{rej[0].label}」更接近。参考答案：{expected}",
               f"Wrong: closer to the wrong answer “{rej[0].label}”. Expected: {expected}"),
            nearest=nearest(),
            details={"rejected": rej[0].label},  # (a bank's feedback may be keyed by the rejected form)
        )
    if f.slots and not (acc_hit and acc_hit.how == "exact"):
        slot = _slot_read(f, ans.flat)
        if slot is not None and slot[0] == "rival":
            return _result(q, "wrong", 0,
                           tr(f"错误：「{slot[1]}」的限定不对。参考答案：{expected}",
                              f"Wrong: “{slot[1]}” is qualified differently. Expected: {expected}"),
                           nearest=nearest())
        if slot is not None and not filled:
            # the qualifier left out (销售额10倍): graded on a text the learner did not write, so no spans
            return _unplaced(_grade_short_text(q, f, slot[2], filled=True))
    if f.numbered and not (acc_hit and acc_hit.how == "exact"):
        bad = _wrong_number(f, ans.flat)
        if bad is not None:
            return _result(q, "wrong", 0,
                           tr(f"错误：「{bad[1]}」数字不对（{bad[0]}）。参考答案：{expected}",
                              f"Wrong: “{bad[1]}” has another number ({bad[0]}). Expected: {expected}"),
                           nearest=nearest())
    if acc_hit and acc and acc_hit.how != "exact" and f.rejected:
        # Contrastive: a tolerated near-miss must still be nearer an accepted form than any rejected one
        # (the words it was found in, not the whole answer: a long rejected form is not nearer a long answer).
        w_flat = ans.flat[acc_hit.start : acc_hit.end]
        w_snd = ans.snd[acc_hit.start : acc_hit.end]
        said = sorted(numbers(w_flat))

        def closeness(p: Phrase) -> tuple[bool, float, float]:
            # numbers as numbers first; then by sound, then by writing (权利 / 权力 sound alike)
            return sorted(numbers(p.text)) == said, fuzz.ratio(w_snd, p.snd), fuzz.ratio(w_flat, p.text)

        ra = max(closeness(p) for p in f.accepted)
        rr_p = max(f.rejected, key=closeness)
        if closeness(rr_p) >= ra:
            return _result(
                q,
                "wrong",
                0,
                tr(f"错误：与错误答案「{rr_p.label}」更接近。参考答案：{expected}",
                   f"Wrong: closer to the wrong answer “{rr_p.label}”. Expected: {expected}"),
                nearest=nearest(),
                details={"rejected": rr_p.label},
            )
    if acc_hit and acc and f.ordered and f.points:
        pr = _grade_points(f, r)
        if pr.out_of_order:  # an accepted form reached with its steps in another order is not accepted
            return _points_result(q, f, pr, nearest())
    if acc_hit and acc:
        note = {"homophone": tr("（有同音错字）", " (a homophone typo)"), "typo": tr("（有错字）", " (a typo)")}.get(
            acc_hit.how, ""
        )
        kw: dict[str, Any] = {
            "nearest": acc[0].label,
            "details": {"found": [{"point": acc[0].label, "words": r.reading.words(acc_hit.start, acc_hit.end),
                                   "how": acc_hit.how}]},
        }
        spans = _spans(r, [(acc_hit.start, acc_hit.end, _SPAN_KIND.get(acc_hit.how, "matched"), acc[0].label, True)])
        if spans:
            kw["details"]["spans"] = spans
        if f.points:
            kw["found"] = tuple(p.label for p in f.points)
        return _result(q, "correct", 1, tr(f"正确{note}：{acc[0].label}", f"Correct{note}: {acc[0].label}"), **kw)
    if not acc_hit and not (is_question(raw) and len(ans.flat) <= 16):
        short_form = _ellipsis(f, ans)
        if short_form is not None:
            return _result(
                q,
                "correct",
                1,
                tr(f"正确（题目里已有的词省略了）：{short_form.label}",
                   f"Correct (leaving out what the question already says): {short_form.label}"),
                nearest=short_form.label,
            )
    if q.threshold is not None and not (acc and acc[1].negated):
        # The trainer set how close is close enough: the whole answer against the nearest
        # accepted form, still nearer to it than to any rejected one, and never differing
        # in a number, a negation, an operator or a contrast.
        best = max(f.accepted, key=lambda p: fuzz.ratio(ans.snd, p.snd))
        to_best = fuzz.ratio(ans.snd, best.snd)
        to_rejected = max((fuzz.ratio(ans.snd, p.snd) for p in f.rejected), default=-1.0)
        if to_best >= q.threshold and to_best > to_rejected and sorted(numbers(ans.flat)) == sorted(numbers(best.text)):
            if _diff_ok(best, ans):
                return _result(
                    q, "correct", 1, tr(f"基本正确：{best.label}", f"Essentially correct: {best.label}"),
                    nearest=best.label,
                )
    if f.points:
        return _points_result(q, f, _grade_points(f, r), nearest())
    if acc and acc[1].negated:
        spans = _spans(r, [(acc[1].start, acc[1].end, "negated", acc[0].label, True)])
        return _result(
            q,
            "wrong",
            0,
            tr(f"错误：你的答案否定了「{acc[0].label}」。参考答案：{expected}",
               f"Wrong: your answer denies “{acc[0].label}”. Expected: {expected}"),
            nearest=acc[0].label,
            **({"details": {"spans": spans}} if spans else {}),
        )
    near = near_form()
    why = _why_not(ans, near) if near else ""
    label = near.label if near else None
    return _result(
        q,
        "wrong",
        0,
        tr(f"错误{why}。最接近的标准答案：{label}", f"Wrong{why}. Nearest accepted answer: {label}"),
        nearest=nearest(),
    )


def _who_pays_short(q: ShortQuestion, f: _Free, r: _Read) -> GradeResult | None:
    """A who-pays answer read by who finally pays (买家先垫付,商家报销; 卖家出,买家寄回时发到付 name the
    buyer but give the cost to the seller): right when every statement gives it to the accepted party,
    wrong when any gives it (or a share) to another; None when the answer states no payment."""
    ps = payment.payments(r.ans.a, r.parties, costly=True)
    if not ps:
        return None
    expected = q.answers[0]
    words = "；".join(r.reading.words(p.start, p.end) for p in ps)
    if all(not p.split and p.party == f.payer for p in ps):
        details: dict[str, Any] = {"found": [{"point": expected, "words": words, "how": "party"}]}
        spans = _spans(r, [(p.start, p.end, "matched", expected, True) for p in ps])
        if spans:
            details["spans"] = spans
        return _result(q, "correct", 1, tr(f"正确：{expected}（{_q(words)}）", f"Correct: {expected} ({_q(words)})"),
                       nearest=expected, details=details)
    bad = next(p for p in ps if p.split or p.party != f.payer)
    said = r.reading.words(bad.start, bad.end)
    who = tr("双方分摊", "shared") if bad.split else tr(_PARTY_ZH[bad.party or "buyer"], _PARTY_EN[bad.party or "buyer"])
    return _result(q, "wrong", 0,
                   tr(f"错误：答案让{who}承担（{_q(said)}）。参考答案：{expected}",
                      f"Wrong: the answer gives the cost to {who} ({_q(said)}). Expected: {expected}"),
                   nearest=expected)


# --- 情景题 ------------------------------------------------------------------------------------------------


def _grade_scenario(q: ScenarioQuestion, raw: str) -> GradeResult:
    f = _free_of(q)
    r = _read(f, raw)
    if not r.reading.orig.flat:
        return _empty(q, f)
    return _points_result(q, f, _grade_points(f, r))
