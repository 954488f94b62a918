"""Who finally pays a cost (freight), the way sellers say it.

A who-pays key point (运费都由我们承担) is made or given away in many words that name no payer the
usual way: sending 到付 (the receiver pays: the shop, when the buyer sends the item in), 包邮 (the
sender pays), the buyer advancing the freight and the shop paying it back (您先垫付, 收到后我们给您
报销 / 返给您 / 补给您), a party and a paying verb in any order (运费都我们来出, 您出寄过来那一段),
a polite request (麻烦您先出一下, 辛苦您付一下, 需要您自己承担: the buyer pays), a denial (不用您出:
the other side pays), and a split (一人一半, 各出一半: both pay). :func:`payments` reads these
statements from an analysed answer; the grader compares their payers with a point's ``who``.

A statement counts when it is the learner's: not asked (a proposal such as ``…可以吗`` still is
one), not someone else's reported words, not explained as what must not be done.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quiz.grading.match import is_negated
from quiz.grading.normalize import Analysed
from quiz.grading.semantics import Parties, explained
from quiz.model import Party

_OTHER: dict[Party, Party] = {"seller": "buyer", "buyer": "seller"}
# What makes a clause about paying for shipping (the thesaurus reads 邮费/快递费 as 运费, 包邮 as 免邮).
# (Normalised text: 一段 reads 1段; 一半, 一人 stay as written, the older 1半 forms kept as well.)
_COST_RE = re.compile("运费|免邮|到付|邮|寄|快递|1段|那段|这段|单程|回程|去程")
_SPLIT_RE = re.compile(
    "[1一]人[1一]半|各出[1一]半|各付[1一]半|各承担[1一]半|各担[1一]半|各负担[1一]半|[1一]家[1一]半|各[1一]半|对半|平摊|分摊|均摊|aa|"
    "55开|五五开|"
    "各出1段|各付1段|各承担1段|各出各的|[1一]人1段|各付各的"
)
# Whose the cost is (都算我们的, 运费归我们, 记在我们账上).
_OWNER_BEFORE = ("算", "归", "记在", "算在", "是")
_OWNER_AFTER = ("的", "头上", "账上", "出")
_COD_RE = re.compile("到付")
_COD_REFUSED_RE = re.compile("(?:我们|我|本店|店里|这边)?(?:不收|不接受|不接|拒收|不支持|不行|不可以)")
_FREE_RE = re.compile("免邮")
_ADVANCE_RE = re.compile("垫付|垫一下|垫着|垫上|先垫|先出|先付|先掏|先承担|先支付|先交")
_REIMBURSE_RE = re.compile(
    "报销|补给|返给|退给|转给|还给|补您|返您|退您|转您|还您|补你|返你|退你|转你|还你|给您补|给您返|给您退|给您转|"
    "给你补|给你返|给你退|给你转|一起补|一起退|一起返|一起转|补回|返还|退还|补上|补运费|退运费|返运费|报掉|转过去|转回"
)
# A party, then a paying verb a few characters on (运费都我们来出, 麻烦您先出一下, 需要您自己承担).
_PAY_VERB_RE = re.compile("承担|负担|支付|买单|掏|付|出|包了|包|自理")
# 出/付/包 that are not paying: 寄出, 出来, 付款方式 ...
_NOT_PAY_BEFORE = frozenset("寄发提做拿指说找推卖外演退交支应")
_NOT_PAY_AFTER_RE = re.compile("来|去|现|问题|发|货|单|售|差|错|面|门|装|售|口|厂")
_TOTAL_RE = re.compile("都|全部|全|来回|往返|两段|两边|双向|均|所有|一切|两头")
# A clause that names one leg of a journey speaks of that leg only (寄回的运费我们出); one that names
# none speaks of the whole cost (运费由我们承担).
_LEG_RE = re.compile("寄回|寄过来|寄过去|寄来|寄去|寄给|寄到|发回|发给|发过来|退回|返回|修好|回寄|寄出|1段|那段|这段|单程|回程|去程")
# Someone else's words or wishes reported (买家说…, 他要求…): not the learner's statement.
_REPORTED_RE = re.compile("(?:说|讲|要求|希望|想要|觉得|认为|非要|坚持|问)(?:要|是|的|了)?")
_PROPOSAL_RE = re.compile("(?:可以吗|行吗|好吗|行不行|可以不|怎么样|好不好|您看呢|你看呢|ok吗)$")


@dataclass(frozen=True, slots=True)
class Payment:
    """One statement of who pays: where it is said, the final payer (None for a split), whether it
    says all of the cost (来回/都/两段) and whether the cost is shared."""

    start: int
    end: int
    party: Party | None
    total: bool = False
    split: bool = False


def _units(a: Analysed) -> list[tuple[int, int]]:
    """The answer's clauses cut at punctuation and connectives, not at 先/再/就 (您先垫付 stays whole)."""
    strong = [b for b in a.bounds if b not in a.weak]
    if not strong or strong[0] != 0:
        strong = [0, *strong]
    ends = [*strong[1:], len(a.flat)]
    return [(s, e) for s, e in zip(strong, ends, strict=False) if e > s]


def _agent_before(a: Analysed, parties: Parties, s: int, pos: int) -> tuple[Party | None, int]:
    """The last party word in ``a.flat[s:pos]`` that acts (not 给您/向平台), and where it starts."""
    found = parties.in_text(a.flat, s, pos)
    for ps, _pe, p in reversed(found):
        before = a.flat[max(s, ps - 1) : ps]
        if before and before in "给向跟和对帮替为与问找到去在从把陪同叫":
            if not (before in "去到来" and a.flat[max(s, ps - 2) : ps - 1] in ("回", "过", "出", "进", "寄", "发", "送")):
                continue  # (寄回去买家出: 去 ends 寄回去, it governs nothing)
        return p, ps
    return None, -1


def _said(a: Analysed, s: int, e: int) -> bool:
    """Whether the learner says the statement at ``s:e`` as their own (a proposal that asks counts)."""
    if a.asking(s) and not _PROPOSAL_RE.search(a.flat, a.clause_start(s), a.clause_end(s)):
        return False  # (运费各出一半可以吗 proposes; 运费谁出吗 asks)
    cs = a.clause_start(s)
    if _REPORTED_RE.search(a.flat, cs, s):
        return False  # 买家说运费该我们出: someone else's words
    return not explained(a, s, e, named=False)


def payments(a: Analysed, parties: Parties, *, costly: bool = False) -> list[Payment]:
    """Every statement of who pays for shipping in ``a``. With ``costly`` the whole answer is about
    that cost (a short answer to a who-pays question): a clause needs no shipping word, and a denial
    (买家不承担) names no payer, where a reply's 不用您出 gives the cost to the shop."""
    flat = a.flat
    units = _units(a)
    out: list[Payment] = []
    for ui, (s, e) in enumerate(units):
        text = flat[s:e]
        prev = flat[units[ui - 1][0] : units[ui - 1][1]] if ui else ""
        if not costly and not _COST_RE.search(text) and not _COST_RE.search(prev):
            continue
        total = _TOTAL_RE.search(text) is not None or _LEG_RE.search(text) is None
        m = _SPLIT_RE.search(text)
        if m is not None and _said(a, s + m.start(), s + m.end()) and not is_negated(a, s + m.start()):
            out.append(Payment(s + m.start(), s + m.end(), None, False, True))
            continue
        got = _advance(a, parties, units, ui)
        if got is not None:
            out.append(got)
            continue
        if any(p.start <= s < p.end for p in out):
            continue  # the paying back of an advance said before (您先付,…找我报销)
        m = _COD_RE.search(text)
        if m is not None:
            ms, me = s + m.start(), s + m.end()
            if is_negated(a, ms) or _COD_REFUSED_RE.match(flat, me) or not _said(a, ms, me):
                continue  # 到付我们不收: the buyer is left to pay, said elsewhere
            sender, _ = _agent_before(a, parties, s, ms)
            payer: Party = "buyer" if sender == "seller" else "seller"  # the receiver pays
            out.append(Payment(ms, me, payer, _TOTAL_RE.search(text) is not None))
            continue
        m = _FREE_RE.search(text)
        if m is not None:
            ms, me = s + m.start(), s + m.end()
            if not is_negated(a, ms) and _said(a, ms, me):
                sender, _ = _agent_before(a, parties, s, ms)
                out.append(Payment(ms, me, sender if sender in ("seller", "buyer") else "seller",
                                   _TOTAL_RE.search(text) is not None))
            continue
        got = (
            _party_pays(a, parties, s, e, total, infer=not costly)
            or _owned(a, parties, s, e, total)
            or _pays_back(a, parties, s, e, total, units[ui - 1][0] if ui else s)
        )
        if got is not None:
            out.append(got)
    return out


def _pays_back(a: Analysed, parties: Parties, s: int, e: int, total: bool, prev: int) -> Payment | None:
    """A party paying a cost back (寄回来的运费我们到时候给您补上): that party pays it (the subject
    may stand in the clause before: …我们到时候,给您补上)."""
    m = _REIMBURSE_RE.search(a.flat, s, e)
    if m is None or is_negated(a, m.start()) or not _said(a, m.start(), m.end()):
        return None
    payer, ps = _agent_before(a, parties, s, m.start())
    if payer is None and prev < s and a.sentence_span(prev)[0] == a.sentence_span(s)[0]:
        payer, ps = _agent_before(a, parties, prev, s)
    if payer not in ("seller", "buyer"):
        return None
    return Payment(ps, m.end(), payer, total)


def _owned(a: Analysed, parties: Parties, s: int, e: int, total: bool) -> Payment | None:
    """The cost said to be a party's (寄回来和寄过去的都算我们的)."""
    flat = a.flat
    for ps, pe, p in parties.in_text(flat, s, e):
        if flat.startswith(_OWNER_AFTER, pe) and flat[max(s, ps - 2) : ps].endswith(_OWNER_BEFORE):
            if p in ("seller", "buyer") and not is_negated(a, ps) and _said(a, ps, pe):
                return Payment(ps, pe + 1, p, total)
    return None


def _advance(a: Analysed, parties: Parties, units: list[tuple[int, int]], ui: int) -> Payment | None:
    """您先垫付…收到后我们给您报销: the one who pays it back pays; without that, the one who advances."""
    s, e = units[ui]
    flat = a.flat
    m = _ADVANCE_RE.search(flat, s, e)
    if m is None or is_negated(a, m.start()) or not _said(a, m.start(), m.end()):
        return None
    who, _ = _agent_before(a, parties, s, m.start())
    advancer: Party = who if who in ("seller", "buyer") else "buyer"
    _ss, se = a.sentence_span(s)
    # the paying back: in this clause after the advance, or in the clauses that follow (up to the next sentence's end)
    limit = se
    for b in a.sentences:
        if b > se:
            limit = b
            break
    r = _REIMBURSE_RE.search(flat, m.end(), max(limit, e))
    if r is not None and not is_negated(a, r.start()):
        payer, _ = _agent_before(a, parties, a.clause_start(r.start()), r.start())
        final: Party = payer if payer in ("seller", "buyer") and payer != advancer else _OTHER.get(advancer, "seller")
        text = flat[s:e]
        return Payment(m.start(), r.end(), final, _TOTAL_RE.search(text) is not None or _LEG_RE.search(text) is None)
    return Payment(m.start(), m.end(), advancer)


def _party_pays(a: Analysed, parties: Parties, s: int, e: int, total: bool, *, infer: bool = True) -> Payment | None:
    """A party and a paying verb in one clause (运费我们出, 由您承担, 麻烦您付一下, 不用您出, 邮费自理)."""
    flat = a.flat
    for m in _PAY_VERB_RE.finditer(flat, s, e):
        vs, ve = m.span()
        word = m.group(0)
        if word in ("出", "付", "包", "掏") and (
            (vs > s and flat[vs - 1] in _NOT_PAY_BEFORE) or _NOT_PAY_AFTER_RE.match(flat, ve)
        ):
            continue
        if word == "自理":
            party: Party | None = "buyer"
            ps = vs
        else:
            party, ps = _agent_before(a, parties, s, vs)
            if party is None or vs - ps > 12:
                continue
        if party not in ("seller", "buyer", "platform"):
            continue
        start = min(ps, vs)
        if not _said(a, start, ve):
            continue
        cost = _COST_RE.search(flat, s, start)
        if is_negated(a, start) or is_negated(a, vs) or (cost is not None and is_negated(a, cost.start())):
            # (不要寄过来的运费您承担: the denial stands before what is paid for)
            other = _OTHER.get(party)
            if other is None or not infer:
                continue
            party = other  # 不用您出: the other side pays
        return Payment(start, ve, party, total)
    return None


def read_phrases(texts: list[str], parties: Parties) -> tuple[Party | None, bool] | None:
    """What a point's phrasings say about paying: (their one payer, None for a split; whether any says
    all of the cost), or None when they are not about who pays."""
    from quiz.grading.normalize import analyse

    if not any(_COST_RE.search(t) for t in texts):
        return None
    payers: set[Party | None] = set()
    total = False
    read = 0
    for t in texts:
        ps = payments(analyse(t), parties)
        if not ps:
            continue
        read += 1
        for p in ps:
            payers.add(None if p.split else p.party)
            total = total or p.total
    if read * 2 < len(texts) or len(payers) != 1:
        return None
    return next(iter(payers)), total
