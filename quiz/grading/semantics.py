"""Reading an answer the way a trainer does, beyond finding phrases in it.

* :func:`read` gives two views of an answer: as written (normalised) and in the thesaurus's words
  (卖家 for 商家/店家/经营者), with a map back, so feedback quotes the learner's own words.
* :func:`explained`: a mention that explains or condemns an action rather than taking it
  (`拖着不发算延迟发货`, `把他信息发群里只会让我们也违法`, `老话术里"帮您返现"是利益诱导`).
* :func:`copied_spans`: stretches of the answer copied from the question's prompt: an answer that
  mostly restates the prompt earns nothing for them, and a forbidden move copied is not made.
* :func:`agent`: who does what a clause says (让卖家保存…, 运费您出, 我们承担), from party words and
  the learner's voice (我/我们 are the seller when the learner answers as the seller).
* :func:`correction_tail`: the final answer after a correction (`一开始写错了,应该是…`).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass, field

from quiz.grading.lexicon import CompiledThesaurus
from quiz.grading.normalize import Analysed, analyse, source_map
from quiz.model import Party

Voice = str  # seller | buyer | neutral


# --- two views of an answer -----------------------------------------------------------------------


@dataclass(slots=True)
class Reading:
    """An answer as written (``orig``) and in the thesaurus's words (``canon``)."""

    orig: Analysed
    canon: Analysed
    # each rewritten word: (start, end) in orig, (start, end) in canon
    reps: tuple[tuple[int, int, int, int], ...] = ()
    raw: str = ""  # the answer exactly as given (what ``orig`` normalises)
    _src: tuple[tuple[int, int], ...] | None = field(default=None, repr=False)  # see normalize.source_map
    _mapped: bool = False
    _ordered: bool = False

    def raw_span(self, start: int, end: int, *, canon: bool = True) -> tuple[int, int] | None:
        """Where ``canon.flat[start:end]`` (``orig.flat`` with ``canon=False``) stands in the raw answer:
        the span of ``raw`` whose characters make exactly those and nothing else. None when there is
        none: the span cuts a word the thesaurus rewrote or a rewrite of normalisation (the 0 of 30
        for 三十, the < of 比…低), or takes in a character that stands for raw text outside it."""
        if not 0 <= start < end:
            return None
        if canon:
            if any(cs < start < ce or cs < end < ce for _s, _e, cs, ce in self.reps):
                return None
            start, end = self._back(start, False), self._back(end, True)
        if not self._mapped:
            self._src, self._mapped = source_map(self.raw, self.orig.flat), True
            src = self._src
            # in order (starts and ends never go back): only a span's neighbours can reach into it
            self._ordered = src is not None and all(
                a0 <= a1 and b0 <= b1 for (a0, b0), (a1, b1) in itertools.pairwise(src)
            )
        src = self._src
        if src is None or not 0 <= start < end <= len(src):
            return None
        if self._ordered:
            rs, re_ = src[start][0], src[end - 1][1]
            outside = [src[k] for k in (start - 1, end) if 0 <= k < len(src)]
        else:
            rs = min(a for a, _b in src[start:end])
            re_ = max(b for _a, b in src[start:end])
            outside = [*src[:start], *src[end:]]
        if any(a < re_ and rs < b for a, b in outside):
            return None  # a character outside the span comes from raw text inside it
        return (rs, re_) if rs < re_ else None

    def words(self, start: int, end: int) -> str:
        """The learner's words (normalised) behind ``canon.flat[start:end]``."""
        if not self.reps:
            return self.orig.flat[start:end]
        return self.orig.flat[self._back(start, False) : self._back(end, True)]

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        """``canon.flat[start:end]`` as a span of ``orig.flat`` (a rewritten word it cuts taken whole)."""
        if not self.reps:
            return start, end
        return self._back(start, False), self._back(end, True)

    def _back(self, pos: int, end: bool) -> int:
        shift = 0
        for s, e, cs, ce in self.reps:
            if pos < cs or (end and pos == cs):
                break
            if pos < ce or (end and pos == ce):
                return e if end else s
            shift = e - ce
        return pos + shift


def canonical_analysed(a: Analysed, th: CompiledThesaurus) -> tuple[Analysed, tuple[tuple[int, int, int, int], ...]]:
    """``a`` with its words in the thesaurus's form and its clause boundaries kept, and the
    rewritten words as (orig start, orig end, canon start, canon end)."""
    new, reps = th.rewrite(a.flat, a.bounds)
    if not reps:
        return a, ()
    starts = [r[0] for r in reps]
    out: list[tuple[int, int, int, int]] = []
    shifts: list[int] = []  # canon - orig offset after each rewritten word
    shift = 0
    for s, e, w in reps:
        out.append((s, e, s + shift, s + shift + len(w)))
        shift += len(w) - (e - s)
        shifts.append(shift)

    def m(p: int) -> int:
        k = bisect.bisect_right(starts, p) - 1
        if k < 0:
            return p
        _s, e, cs, _ce = out[k]
        if p < e:
            return cs  # at or inside a rewritten word: its start
        return p + shifts[k]

    canon = Analysed(
        new,
        tuple(dict.fromkeys(m(b) for b in a.bounds)),
        tuple(m(b) for b in a.soft),
        frozenset(m(b) for b in a.weak),
        tuple(dict.fromkeys(m(b) for b in a.sentences)),
        tuple((m(s), m(e)) for s, e in a.quotes),
        frozenset(m(b) for b in a.asks),
    )
    return canon, tuple(out)


def read(raw: str, th: CompiledThesaurus) -> Reading:
    orig = analyse(raw)
    canon, reps = canonical_analysed(orig, th)
    return Reading(orig, canon, reps, raw)


# --- explaining or condemning an action is not taking it ----------------------------------------------

# What an explanation says about an action: it is against the rules, the law, or pointless.
_EVAL = (
    "违规|违法|违反|犯法|不合法|不合规|扣分|处罚|被罚|要罚|罚款|罚钱|封店|封号|下架|降权|侵权|犯罪|刑事|吃官司|被告|被起诉|"
    "不允许|不被允许|禁止|诱导|利益诱导|不能用|不能这样|不能这么|不可以这样|不可取|要不得|不行的|是错|错误|不对的|不妥|"
    "有风险|风险很大|得不偿失|后果|延迟发货|严重违规|改变不了|没有用|也没用|白搭|照样是|还是假|都是假|不应该|不该|"
    "承担责任|负责任|担责|违约|被投诉|被处理|惹麻烦|麻烦更大|不合适|泄露|隐私|"
    # 不专业 judges the move (骂人很不专业, 这样做不专业), not when it is what is said to someone (骂她不专业)
    "(?<![他她它你您们人服二家方])不专业|"
    # what a court or the rules would say of it (告他也会被驳回, 起诉赢不了)
    "驳回|告不赢|告不了|赢不了|打不赢|败诉|胜诉不了|不值当|不值得|"
    # what a rule calls the action (打电话"教训"是骚扰恐吓, 发到群里属于泄露个人信息)
    "(?:是|属于|算是|算|构成|涉嫌|就是)(?:在|一种)?(?:骚扰|恐吓|威胁|侮辱|诽谤|人身攻击|敲诈|勒索|报复|欺诈|虚假)"
)
_EVAL_RE = re.compile(_EVAL)
# A clause that carries on with the consequence of the one before (…,但会被扣分 / …,这属于违规).
_CONSEQUENCE_START_RE = re.compile(
    "(?:但|但是|可是|不过|然而|否则|不然|这样|那样|这会|这是|这属于|这都|这些|这种|那是|都是|都属于|属于|算是|算|是|"
    "会|就会|只会|要被|会被|将|容易|可能|肯定|一定|平台会|平台|反而|结果|到时候)"
)
# Words that point at a script or saying being discussed (老话术里…, 这句话…).
_FRAME_RE = re.compile(
    "老话术|原话术|旧话术|原来的话术|原来那个话术|之前的话术|以前的话术|店里的话术|这个话术|那个话术|这套话术|话术里|话术中|"
    "这句话|那句话|这句|那句|这种说法|这种话|原话|像这种|像这样|比如说|例如"
)
# A copula right before the words: they name what something is, not what is done (…是骚扰恐吓).
_NAMED_RE = re.compile(
    "(?:属于|算是|构成|涉嫌|就是|(?<![但可还于总要只倒若凡正真硬或老像])是)(?:在|一种|典型的)?"
    "(?:(?!了|要|想|会|去|来|给|把|可以|能)[^|]){0,3}$"
)
_IF_RE = re.compile("(?:如果|要是|假如|假设|一旦|万一|若是|若|即使|即便|就算|哪怕|纵使)")
# Defiance after a consequence (被扣分也无所谓, 大不了被罚): the consequence is accepted, not a reason not to.
_DEFIANT_RE = re.compile("(?:也|都)?(?:无所谓|不怕|没关系|不在乎|认了)|大不了|扣就扣|罚就罚|就扣吧|就罚吧")


def _strong_end(a: Analysed, pos: int) -> int:
    """Where the clause holding ``pos`` ends at punctuation or a connective word (not at 就/再/并)."""
    for b in a.bounds:
        if b > pos and b not in a.weak:
            return b
    return len(a.flat)


def explained(a: Analysed, start: int, end: int, *, named: bool = True) -> bool:
    """Whether the mention at ``start:end`` is explained or condemned rather than done:
    its own clause, or the next one carrying on, says it breaks a rule or the law
    (`拖着不发算延迟发货`, `打电话骂他确实解气,但会被扣分`); or a quoted or referred-to script is
    judged in the sentence (`老话术里"帮您返现"是利益诱导`); or it is only supposed (`如果…,就违规了`).
    With ``named``, a copula right before the words also makes them a name (…是骚扰恐吓); a statement
    of fact (…也是我们出) wants it off."""
    flat = a.flat
    ce = _strong_end(a, start)
    ss, se = a.sentence_span(start)
    if _DEFIANT_RE.search(flat, end, se) or _DEFIANT_RE.search(flat, ss, start):
        return False  # 打电话骂他,被扣分也无所谓: the consequence accepted, the move still made
    if _EVAL_RE.search(flat, end, max(ce, end)):
        return True
    cs = a.clause_start(start)
    if named and _NAMED_RE.search(flat[max(cs, start - 6) : start]):
        return True  # the words name what something is (打电话"教训"是骚扰恐吓)
    if ce < se:
        nxt = _strong_end(a, ce)
        if _CONSEQUENCE_START_RE.match(flat, ce) and _EVAL_RE.search(flat, ce, nxt):
            return True
    quoted = any(qs <= start and end <= qe for qs, qe in a.quotes)
    framed = _FRAME_RE.search(flat, ss, start) is not None
    supposed = _IF_RE.match(flat, cs) is not None
    if quoted or framed or supposed:
        return _EVAL_RE.search(flat, ss if (quoted or framed) else end, se) is not None
    return False


_CONDITION_END_RE = re.compile("(?:的话|时候|之后|以后)$")
# What happens, then the report it brings (打电话骚扰就报警, 再威胁就投诉): the first part is what the
# other side might do, the condition of the report, not the learner's act.
_THEN_REPORT_RE = re.compile("就(?:马上|立即|立刻|直接)?(?:报警|报案|打110|报110|投诉|举报|向平台|找平台|找小二|申请平台介入|申请介入)")


def conditional(a: Analysed, pos: int) -> bool:
    """Whether the clause holding ``pos`` is a condition (如果他再打电话…, 恐吓的话…, 打电话骚扰就报警),
    not an action taken."""
    cs = a.clause_start(pos)
    ce = _strong_end(a, pos)
    return (
        _IF_RE.match(a.flat, cs) is not None
        or _CONDITION_END_RE.search(a.flat, cs, ce) is not None
        or _THEN_REPORT_RE.search(a.flat, pos, ce) is not None
    )


# --- what the answer copies from the prompt ------------------------------------------------------------

COPY_MIN = 8  # characters copied in a row from the prompt that count as restating it
RESTATED = 0.5  # an answer at least this much copied restates the prompt: its copied words earn nothing
RESTATED_MIN = 12  # ... when that is at least this many characters (亲 M码有货 今天下午发 relays facts)
_GRAM = 4


def prompt_grams(prompt_flat: str) -> frozenset[str]:
    return frozenset(prompt_flat[i : i + _GRAM] for i in range(len(prompt_flat) - _GRAM + 1))


def copied_spans(flat: str, grams: frozenset[str], prompt_flat: str) -> list[tuple[int, int]]:
    """Stretches of at least ``COPY_MIN`` characters that also stand, in a row, in the prompt."""
    if not grams or len(flat) < COPY_MIN:
        return []
    out: list[tuple[int, int]] = []
    i = 0
    n = len(flat)
    while i <= n - _GRAM:
        if flat[i : i + _GRAM] not in grams:
            i += 1
            continue
        # the longest run from i that the prompt holds as one piece
        j = i + _GRAM
        while j < n and flat[i : j + 1] in prompt_flat:
            j += 1
        if j - i >= COPY_MIN:
            out.append((i, j))
            i = j
        else:
            i += 1
    return out


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


# --- who does it -------------------------------------------------------------------------------------

_SELF = ("我们这边", "我这边", "我们", "咱们", "我方", "本店", "小店", "我店", "店里", "咱", "我")
_ADDRESSEE = ("你们", "您", "你", "亲")
_THIRD = ("他们", "她们", "对方", "他", "她")
_BOSS_RE = re.compile("^(?:老板|店长|掌柜的|领导)")
# A party word right after one of these is an object or a place, not the one who acts (给您, 向平台, 去淘宝).
_NOT_AGENT_BEFORE = frozenset("给向跟和对帮替为与问找到去在从把陪同叫请让由被")
# ... except these, which name the one who acts next: 让/叫/请/要求 X 做, 由 X 承担, 被 X 做.
_CAUSERS = ("要求", "让", "叫", "请", "由", "被", "要")
_OTHER_SIDE: dict[str, Party] = {"seller": "buyer", "buyer": "seller"}


@dataclass(frozen=True, slots=True)
class Parties:
    """The party words of a question: thesaurus party words and pronouns as the voice resolves them."""

    words: tuple[tuple[str, Party], ...]  # longest first
    first: dict[str, tuple[tuple[str, Party], ...]] = field(default_factory=dict)  # by first character

    def __post_init__(self) -> None:
        by: dict[str, list[tuple[str, Party]]] = {}
        for w, p in self.words:
            by.setdefault(w[0], []).append((w, p))
        object.__setattr__(self, "first", {c: tuple(ws) for c, ws in by.items()})

    @classmethod
    def build(cls, th: CompiledThesaurus, voice: Voice, addressing_boss: bool = False) -> Parties:
        ws: dict[str, Party] = dict(th.party)
        for w in list(th.party):  # 商家 is read as 卖家: both spellings name the party
            for alias, head in th.canon.items():
                if head == w:
                    ws.setdefault(alias, th.party[w])
        ws.setdefault("老板", "seller")
        ws.setdefault("店长", "seller")
        if voice in ("seller", "buyer"):
            me: Party = "seller" if voice == "seller" else "buyer"
            for w in _SELF:
                ws[w] = me
            if voice == "buyer":
                you: Party = "buyer"  # advising the buyer: 你 is the buyer
            else:
                you = "seller" if addressing_boss else "buyer"
            for w in _ADDRESSEE:
                ws[w] = you
            for w in _THIRD:
                ws[w] = _OTHER_SIDE[me]
        return cls(tuple(sorted(ws.items(), key=lambda kv: len(kv[0]), reverse=True)))

    def at(self, flat: str, i: int) -> tuple[str, Party] | None:
        if i >= len(flat):
            return None
        for w, p in self.first.get(flat[i], ()):
            if flat.startswith(w, i):
                return w, p
        return None

    def in_text(self, flat: str, start: int, end: int) -> list[tuple[int, int, Party]]:
        out: list[tuple[int, int, Party]] = []
        i = start
        first = self.first
        while i < end:
            if flat[i] not in first:
                i += 1
                continue
            hit = self.at(flat, i)
            if hit and i + len(hit[0]) <= end:
                out.append((i, i + len(hit[0]), hit[1]))
                i += len(hit[0])
            else:
                i += 1
        return out


def addressing_boss(raw: str) -> bool:
    return bool(_BOSS_RE.match(raw.strip()))


# A reply that opens by addressing the buyer (亲, 您好, 亲爱的): the prompt's facts it repeats are relayed to them.
_TO_BUYER_RE = re.compile(r"^\W*(?:亲爱的|亲|您好|你好|宝子|宝宝|hello|hi)", re.IGNORECASE)


def addressing_buyer(raw: str) -> bool:
    return bool(_TO_BUYER_RE.match(raw.strip()))


@functools.lru_cache(maxsize=16)
def _third_person_re(heads: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted({*heads, *_THIRD}, key=len, reverse=True)))


def names_buyer(canon_flat: str, start: int, end: int, th: CompiledThesaurus) -> bool:
    """Whether ``canon_flat[start:end]`` names the buyer in the third person: the thesaurus's buyer
    word (顾客, 消费者 … read as 买家) or 他/她/对方."""
    heads = tuple(sorted(h for h, p in th.party.items() if p == "buyer"))
    return _third_person_re(heads).search(canon_flat, start, end) is not None


def _agent_in(a: Analysed, parties: Parties, cs: int, end: int) -> Party | None:
    """The party acting in ``a.flat[cs:end]``: the last party word not governed by a preposition."""
    found = parties.in_text(a.flat, cs, end)
    for s, _e, p in reversed(found):
        before = a.flat[max(cs, s - 2) : s]
        if before.endswith(_CAUSERS):
            return p
        if before and before[-1] in _NOT_AGENT_BEFORE:
            continue
        return p
    return None


def agent(a: Analysed, parties: Parties, start: int, end: int, *, inner: bool = True) -> Party | None:
    """Who does what stands at ``start:end``: a party word inside it (运费我们出; not with ``inner``
    off, for a verb and its object: 骂她), else the acting party of its clause before it (让卖家保存…,
    您先出), else the party an earlier clause of the sentence has act (让卖家…,再…)."""
    if inner:
        found = parties.in_text(a.flat, start, end)
        if found:
            return found[-1][2]
    ss, _se = a.sentence_span(start)
    cs = a.clause_start(start)
    p = _agent_in(a, parties, cs, start)
    if p is not None:
        return p
    # a clause without a subject carries on one that had someone do something (让卖家保存…,再去投诉)
    prev_end = cs
    for b in reversed(a.bounds):
        if b >= prev_end or b < ss:
            continue
        p = _caused_in(a, parties, b, prev_end)
        if p is not None:
            return p
        prev_end = b
    return None


def _caused_in(a: Analysed, parties: Parties, cs: int, end: int) -> Party | None:
    """The party a clause has someone make act (让卖家…, 叫买家…, 要求对方…), if any."""
    for s, _e, p in reversed(parties.in_text(a.flat, cs, end)):
        if a.flat[max(cs, s - 2) : s].endswith(("要求", "让", "叫", "请")):
            return p
    return None


# --- corrections ---------------------------------------------------------------------------------------

_CORRECTION_RE = re.compile(
    r"(?:应该是|应当是|正确的是|正确答案是|正确答案|其实是|实际上是|准确地说是|准确说是|更正一下|更正|纠正一下|纠正|改正|"
    r"改一下|重新写|重写一下|重新答|不对[,，、\s]*(?:是|应该是)|说错了|写错了|打错了|搞错了|写反了|弄反了|搞反了|说反了)"
    r"[:：,，\s]*(?:应该是|是)?"
)


_CONTENT_RE = re.compile(r"[^\W_]")


def correction_tail(raw: str) -> str | None:
    """The answer after its last correction (`写成咨询量/接待量了,应该是接待量/咨询量` -> `接待量/咨询量`)."""
    last = None
    for m in _CORRECTION_RE.finditer(raw):
        last = m
    if last is None or len(_CONTENT_RE.findall(raw[: last.start()])) < 2:
        return None  # 应该是按展示吧: a hedge before the only answer, not a correction
    tail = raw[last.end() :].strip()
    return tail or None
