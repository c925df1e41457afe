"""Partnerships like mine: the most similar other partnerships, each with why it is similar.

A partnership is described by plain data (:class:`Profile`): the tiers (or kinds) of its current
members, its service areas, its size (members), its lifecycle stage, its regions and the text of
its purpose. The similarity of two profiles is a weighted mean of six parts, each in [0, 1]:

======================  ======  ==============================================================
part                    weight  measure
======================  ======  ==============================================================
member tiers            0.25    cosine of the counts of members by tier (county, district, ...)
service areas           0.25    Jaccard index of the sets of service areas
size                    0.15    smaller / larger number of members
purpose text            0.15    cosine of TF-IDF vectors of the purposes (smoothed idf)
region                  0.10    Jaccard index of the sets of regions
stage                   0.10    1 for the same stage, 0.5 for a neighbouring one, else 0
======================  ======  ==============================================================

A part with nothing to compare on either side (no service areas on both) counts 0 and is
explained as such. Every score is a float; ties are broken by id, so the ranking is
deterministic.

Examples
--------
>>> a = Profile("A", {"county": 1, "district": 6}, frozenset({"Waste"}), 7, "delivery",
...             frozenset({"West Midlands"}), "one front door for council services")
>>> b = Profile("B", {"county": 1, "district": 7}, frozenset({"Waste"}), 8, "delivery",
...             frozenset({"Yorkshire"}), "a joint e-government strategy")
>>> c = Profile("C", {"company": 1, "unitary": 1}, frozenset(), 2, "idea", frozenset(), "")
>>> [m.id for m in most_similar(a, [b, c], limit=2)]
['B', 'C']
>>> most_similar(a, [b, c])[0].reasons[0]
'the same mix of member tiers (county, district)'

Notes
-----
For one partnership against *n* others the cost is O(n · (t + s + w)) for t tiers, s service
areas and w distinct words, vectorised with NumPy for the text part; 5,000 partnerships take
well under a second. :func:`most_similar_each` ranks many partnerships against the same
candidates at once (every part vectorised over the candidates, reasons written only for the
best), for precomputing every partnership's list.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

__all__ = [
    "STAGES",
    "WEIGHTS",
    "Match",
    "Profile",
    "most_similar",
    "most_similar_each",
    "past_work",
    "similarity",
    "tfidf_cosines",
]

#: The lifecycle stages in order (a neighbouring stage counts half).
STAGES = (
    "idea",
    "scoping",
    "options_appraisal",
    "procurement",
    "agreement",
    "delivery",
    "review",
    "closed",
)
WEIGHTS: Mapping[str, float] = {
    "tiers": 0.25,
    "services": 0.25,
    "size": 0.15,
    "text": 0.15,
    "region": 0.10,
    "stage": 0.10,
}
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "with",
        "will",
        "we",
        "across",
        "all",
        "also",
        "can",
        "more",
        "one",
        "new",
        "not",
        "other",
        "than",
        "through",
        "partnership",
        "partnerships",
        "council",
        "councils",
        "demo",
    ]
)
WORD = re.compile(r"[a-z][a-z0-9\-]+")


@dataclass(frozen=True)
class Profile:
    """What a partnership is like (plain data: no database objects)."""

    id: str
    tiers: Mapping[str, int]
    services: frozenset[str]
    size: int
    stage: str
    regions: frozenset[str]
    text: str = ""


@dataclass(frozen=True)
class Match:
    """One similar partnership: its score in [0, 1], each part's score, and why."""

    id: str
    score: float
    parts: Mapping[str, float]
    reasons: tuple[str, ...] = field(default=())


def words(text: str) -> list[str]:
    """The words of a purpose, lower case, without stop words (``e-government`` is one word).

    >>> words("A joint e-government strategy for the councils")
    ['joint', 'e-government', 'strategy']
    """
    return [w for w in WORD.findall(text.lower()) if w not in STOP_WORDS]


def tfidf_cosines(query: str, texts: Sequence[str]) -> tuple[np.ndarray, list[list[str]]]:
    """Cosine similarity of the TF-IDF vector of ``query`` with that of each text.

    The document frequencies are counted over ``texts`` and the query together, with smoothed
    idf = ln((1 + N) / (1 + df)) + 1 (as scikit-learn's default). Returns the cosines and, for
    each text, the words it shares with the query, heaviest first.

    >>> cos, shared = tfidf_cosines("joint e-government strategy", ["e-government strategy", "leisure"])
    >>> [round(float(c), 2) for c in cos], shared
    ([0.73, 0.0], [['e-government', 'strategy'], []])
    """
    docs = [Counter(words(t)) for t in texts]
    q = Counter(words(query))
    vocab = sorted(set(q).union(*docs) if docs else set(q))
    if not vocab or not q:
        return np.zeros(len(texts)), [[] for _ in texts]
    index = {w: i for i, w in enumerate(vocab)}
    n = len(docs) + 1
    df = np.zeros(len(vocab))
    for d in [*docs, q]:
        for w in d:
            df[index[w]] += 1
    idf = np.log((1 + n) / (1 + df)) + 1.0
    matrix = np.zeros((len(docs), len(vocab)))
    for row, d in enumerate(docs):
        for w, c in d.items():
            matrix[row, index[w]] = c
    qv = np.zeros(len(vocab))
    for w, c in q.items():
        qv[index[w]] = c
    matrix *= idf
    qv *= idf
    norms = np.linalg.norm(matrix, axis=1) * np.linalg.norm(qv)
    dots = matrix @ qv
    cos = np.divide(dots, norms, out=np.zeros(len(docs)), where=norms > 0)
    shared = []
    for d in docs:
        common = [w for w in q if w in d]
        common.sort(key=lambda w: (-float(idf[index[w]]) * q[w] * d[w], w))
        shared.append(common)
    return np.clip(cos, 0.0, 1.0), shared


def _cosine(a: Mapping[str, int], b: Mapping[str, int]) -> float:
    keys = set(a) | set(b)
    dot = sum(a.get(k, 0) * b.get(k, 0) for k in keys)
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return min(1.0, round(dot / (na * nb), 12)) if na and nb else 0.0


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def _stage(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if a in STAGES and b in STAGES and abs(STAGES.index(a) - STAGES.index(b)) == 1:
        return 0.5
    return 0.0


def _size(a: int, b: int) -> float:
    if a <= 0 or b <= 0:
        return 0.0
    return min(a, b) / max(a, b)


def _label(key: str) -> str:
    return key.replace("_", " ")


def similarity(mine: Profile, other: Profile, text: float = 0.0) -> dict[str, float]:
    """Each part's score (``text`` is the TF-IDF cosine computed over the whole set).

    >>> p = Profile("P", {"district": 2}, frozenset({"x"}), 2, "idea", frozenset({"r"}))
    >>> similarity(p, p)["tiers"], similarity(p, p)["stage"]
    (1.0, 1.0)
    """
    return {
        "tiers": _cosine(mine.tiers, other.tiers),
        "services": _jaccard(mine.services, other.services),
        "size": _size(mine.size, other.size),
        "text": float(text),
        "region": _jaccard(mine.regions, other.regions),
        "stage": _stage(mine.stage, other.stage),
    }


def _reasons(
    mine: Profile, other: Profile, parts: Mapping[str, float], shared: list[str]
) -> list[str]:
    reasons: list[tuple[float, str]] = []
    if parts["tiers"] >= 0.999:
        tiers = ", ".join(_label(t) for t in sorted(mine.tiers))
        reasons.append((WEIGHTS["tiers"], f"the same mix of member tiers ({tiers})"))
    elif parts["tiers"] > 0:
        common = sorted(set(mine.tiers) & set(other.tiers))
        reasons.append(
            (WEIGHTS["tiers"] * parts["tiers"],
             f"members of the same tiers ({', '.join(_label(t) for t in common)})")
        )  # fmt: skip
    services = sorted(mine.services & other.services)
    if services:
        listed = ", ".join(services[:3]) + (
            f" and {len(services) - 3} more" if len(services) > 3 else ""
        )
        reasons.append(
            (WEIGHTS["services"] * parts["services"],
             f"{len(services)} service area{'s' if len(services) != 1 else ''} in common ({listed})")
        )  # fmt: skip
    if parts["size"] >= 0.75:
        reasons.append((WEIGHTS["size"] * parts["size"],
                        f"a similar size ({other.size} members; yours has {mine.size})"))  # fmt: skip
    if shared:
        reasons.append(
            (WEIGHTS["text"] * parts["text"],
             "purposes that share the words " + ", ".join(f"‘{w}’" for w in shared[:4]))
        )  # fmt: skip
    regions = sorted(mine.regions & other.regions)
    if regions:
        reasons.append((WEIGHTS["region"] * parts["region"], f"also in {', '.join(regions)}"))
    if parts["stage"] == 1.0:
        reasons.append((WEIGHTS["stage"], f"at the same stage ({_label(other.stage)})"))
    elif parts["stage"] > 0:
        reasons.append((WEIGHTS["stage"] * 0.5, f"one stage away ({_label(other.stage)})"))
    reasons.sort(key=lambda r: -r[0])
    return [text for _, text in reasons]


def most_similar(mine: Profile, others: Sequence[Profile], limit: int = 5) -> list[Match]:
    """The ``limit`` profiles most similar to ``mine`` (never ``mine`` itself), best first.

    Parameters
    ----------
    mine : Profile
        The partnership to compare against.
    others : sequence of Profile
        Candidates; one with ``mine``'s id is skipped.
    limit : int
        How many to return (at least 0).

    Returns
    -------
    list of Match
        Best first; equal scores in id order. Each has its parts' scores and its reasons, the
        weightiest first ("nothing in particular in common" when there are none).
    """
    candidates = [o for o in others if o.id != mine.id]
    if limit <= 0 or not candidates:
        return []
    cosines, shared = tfidf_cosines(mine.text, [o.text for o in candidates])
    scored = []
    for i, (other, cos) in enumerate(zip(candidates, cosines, strict=True)):
        parts = similarity(mine, other, float(cos))
        score = _score(parts)
        scored.append((-score, other.id, i, parts))
    # Reasons only for the best: the candidates can be every partnership there is.
    matches = []
    for negative, _, i, parts in heapq.nsmallest(limit, scored):
        other = candidates[i]
        reasons = _reasons(mine, other, parts, shared[i]) or ["nothing in particular in common"]
        matches.append(Match(other.id, -negative, parts, tuple(reasons)))
    return matches


def _score(parts: Mapping[str, float]) -> float:
    return round(sum(WEIGHTS[k] * v for k, v in parts.items()), 6)


def _key(m: Match) -> tuple[float, str]:
    return (-m.score, m.id)


class _Candidates:
    """The candidates as matrices, built once for many partnerships to be ranked against."""

    def __init__(self, candidates: Sequence[Profile]) -> None:
        self.profiles = list(candidates)
        n = len(self.profiles)
        self.position = {p.id: i for i, p in enumerate(self.profiles)}
        self.id_rank = np.empty(n, dtype=np.int64)
        self.id_rank[sorted(range(n), key=lambda i: self.profiles[i].id)] = np.arange(n)
        self.tier_index = {
            t: i for i, t in enumerate(sorted({t for p in candidates for t in p.tiers}))
        }
        self.tiers = np.zeros((n, len(self.tier_index)))
        for row, p in enumerate(self.profiles):
            for t, count in p.tiers.items():
                self.tiers[row, self.tier_index[t]] = count
        self.tier_norms = np.sqrt((self.tiers**2).sum(axis=1))
        self.services, self.service_index = self._sets([p.services for p in candidates])
        self.service_counts = np.array([len(p.services) for p in candidates], dtype=float)
        self.regions, self.region_index = self._sets([p.regions for p in candidates])
        self.region_counts = np.array([len(p.regions) for p in candidates], dtype=float)
        self.sizes = np.array([p.size for p in candidates], dtype=float)
        self.stage_codes = {s: i for i, s in enumerate(STAGES)}
        self.stages = np.array([self.stage_code(p.stage) for p in candidates])
        self.docs = [Counter(words(p.text)) for p in candidates]
        vocab = sorted(set().union(*self.docs)) if self.docs else []
        self.word_index = {w: i for i, w in enumerate(vocab)}
        rows, cols, counts = [], [], []
        for row, d in enumerate(self.docs):
            for w, c in d.items():
                rows.append(row)
                cols.append(self.word_index[w])
                counts.append(c)
        self.counts = sparse.csr_matrix((counts, (rows, cols)), shape=(n, len(vocab)), dtype=float)
        self.squares = self.counts.multiply(self.counts).tocsr()
        self.df = np.asarray((self.counts > 0).sum(axis=0), dtype=float).ravel()
        self._norms: dict[int, np.ndarray] = {}

    @staticmethod
    def _sets(sets: Sequence[frozenset[str]]) -> tuple[np.ndarray, dict[str, int]]:
        index = {x: i for i, x in enumerate(sorted(set().union(*sets)))}
        matrix = np.zeros((len(sets), len(index)))
        for row, items in enumerate(sets):
            matrix[row, [index[x] for x in items]] = 1.0
        return matrix, index

    def stage_code(self, stage: str) -> int:
        """A stage's position; one not in :data:`STAGES` gets a code past them (only equal)."""
        return self.stage_codes.setdefault(stage, len(self.stage_codes) + 1)

    def text_cosines(self, mine: Profile, own: int | None) -> tuple[np.ndarray, np.ndarray]:
        """TF-IDF cosines of ``mine`` with every candidate and the idf they used, as
        :func:`tfidf_cosines` counts them: over the candidates but ``mine``'s own row, and
        ``mine``'s text."""
        n = len(self.profiles)
        q = Counter(words(mine.text))
        known = [w for w in q if w in self.word_index]
        df = self.df.copy()
        if own is not None:
            for w in self.docs[own]:
                df[self.word_index[w]] -= 1
        df[[self.word_index[w] for w in known]] += 1
        total = n - (own is not None) + 1
        idf = np.log((1 + total) / (1 + df)) + 1.0
        if not q or not known:
            return np.zeros(n), idf
        # Words only ``mine`` has count in its norm: their df is 1 whatever the vocabulary.
        alone = math.log((1 + total) / 2) + 1.0
        q_norm = math.sqrt(sum((c * (idf[self.word_index[w]] if w in self.word_index else alone)) ** 2
                               for w, c in q.items()))  # fmt: skip
        weights = np.zeros(len(idf))
        for w in known:
            weights[self.word_index[w]] = q[w] * idf[self.word_index[w]] ** 2
        dots = self.counts @ weights
        norms = self._doc_norms(idf, total, own, df)
        denominator = norms * q_norm
        cos = np.divide(dots, denominator, out=np.zeros(n), where=denominator > 0)
        return np.clip(cos, 0.0, 1.0), idf

    def _doc_norms(
        self, idf: np.ndarray, total: int, own: int | None, df: np.ndarray
    ) -> np.ndarray:
        # The candidates' norms depend only on the idf: shared by every partnership that is
        # itself a candidate with the same words (the common case), computed once.
        same = own is not None and bool(np.array_equal(df, self.df))
        if same and total in self._norms:
            return self._norms[total]
        norms = np.sqrt(self.squares @ (idf**2))
        if same:
            self._norms[total] = norms
        return np.asarray(norms)

    def scores(self, mine: Profile, cos: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Every candidate's score against ``mine`` (unrounded) and each part's, as
        :func:`similarity` and the weights work them out."""
        tm = np.zeros(len(self.tier_index))
        for t, count in mine.tiers.items():
            if t in self.tier_index:
                tm[self.tier_index[t]] = count
        mine_norm = math.sqrt(sum(v * v for v in mine.tiers.values()))
        denominator = self.tier_norms * mine_norm
        tiers = np.divide(
            self.tiers @ tm, denominator, out=np.zeros(len(cos)), where=denominator > 0
        )
        tiers = np.minimum(1.0, np.round(tiers, 12))
        services = self._jaccard(
            self.services, self.service_index, self.service_counts, mine.services
        )
        regions = self._jaccard(self.regions, self.region_index, self.region_counts, mine.regions)
        if mine.size > 0:
            size = np.where(self.sizes > 0, np.minimum(self.sizes, mine.size)
                            / np.maximum(np.maximum(self.sizes, mine.size), 1), 0.0)  # fmt: skip
        else:
            size = np.zeros(len(cos))
        code = self.stage_code(mine.stage)
        near = (
            (np.abs(self.stages - code) == 1) & (self.stages < len(STAGES)) & (code < len(STAGES))
        )
        stage = np.where(self.stages == code, 1.0, np.where(near, 0.5, 0.0))
        parts = dict(zip(WEIGHTS, [tiers, services, size, cos, regions, stage], strict=True))
        total = np.zeros(len(cos))
        for key, weight in WEIGHTS.items():
            total = total + weight * parts[key]
        return total, parts

    @staticmethod
    def _jaccard(matrix: np.ndarray, index: dict[str, int], counts: np.ndarray,
                 mine: frozenset[str]) -> np.ndarray:  # fmt: skip
        vector = np.zeros(len(index))
        vector[[index[x] for x in mine if x in index]] = 1.0
        common = matrix @ vector
        union = counts + len(mine) - common
        return np.divide(common, union, out=np.zeros(len(counts)), where=union > 0)

    def best(
        self, mine: Profile, limit: int, counted: frozenset[str] | None, most: int
    ) -> list[Match]:
        own = self.position.get(mine.id)
        n = len(self.profiles) - (own is not None)
        if limit <= 0 or n <= 0:
            return []
        cos, idf = self.text_cosines(mine, own)
        total, parts = self.scores(mine, cos)
        scores = np.round(total, 6)
        if own is not None:
            scores[own] = -np.inf
        take = min(limit if counted is None else max(limit, most), n)
        # The ``take`` best by (score, id): everything above the take-th score, then the ties
        # at it in id order.
        threshold = np.partition(scores, len(scores) - take)[len(scores) - take]
        above = np.flatnonzero(scores > threshold)
        ties = np.flatnonzero(scores == threshold)
        best = np.concatenate([above, ties[np.argsort(self.id_rank[ties])][: take - len(above)]])
        best = best[np.lexsort((self.id_rank[best], -scores[best]))]
        if counted is not None:
            seen = np.cumsum([self.profiles[i].id in counted for i in best])
            best = best[: int(np.searchsorted(seen, limit)) + 1]
        q = Counter(words(mine.text))
        matches = []
        for i in best:
            other, d = self.profiles[i], self.docs[i]
            common = [w for w in q if w in d]
            common.sort(key=lambda w: (-float(idf[self.word_index[w]]) * q[w] * d[w], w))
            these = {key: float(part[i]) for key, part in parts.items()}
            reasons = _reasons(mine, other, these, common) or ["nothing in particular in common"]
            matches.append(Match(other.id, round(float(total[i]), 6), these, tuple(reasons)))
        matches.sort(key=_key)
        return matches


def most_similar_each(
    mines: Sequence[Profile],
    candidates: Sequence[Profile],
    limit: int = 5,
    *,
    counted: frozenset[str] | None = None,
    most: int = 50,
) -> list[list[Match]]:
    """:func:`most_similar` of each of ``mines`` against the same ``candidates``, at once.

    The same as ``[most_similar(m, candidates, limit) for m in mines]`` (the same ids in the
    same order, scores and reasons; a score can differ in its last bit, which only matters for
    a tie at the sixth decimal), but every part is vectorised over the candidates and reasons
    are written only for the best, so 5,000 partnerships against 5,000 take seconds, not hours.

    With ``counted`` (ids), each list goes on until ``limit`` of those are in it, keeping the
    others that rank above them, at most ``max(limit, most)`` long: the best ``limit`` for
    anyone who sees the counted ones (the published partnerships) and any of the others.

    >>> a = Profile("A", {"county": 1, "district": 6}, frozenset({"Waste"}), 7, "delivery",
    ...             frozenset({"West Midlands"}), "one front door for council services")
    >>> b = Profile("B", {"county": 1, "district": 7}, frozenset({"Waste"}), 8, "delivery",
    ...             frozenset({"Yorkshire"}), "a joint e-government strategy")
    >>> c = Profile("C", {"company": 1, "unitary": 1}, frozenset(), 2, "idea", frozenset(), "")
    >>> each = most_similar_each([a, b], [a, b, c], limit=2)
    >>> [[m.id for m in ms] for ms in each] == [[m.id for m in most_similar(x, [a, b, c], 2)]
    ...                                          for x in (a, b)]
    True
    """
    if not candidates or limit <= 0:
        return [[] for _ in mines]
    prepared = _Candidates(candidates)
    return [prepared.best(mine, limit, counted, most) for mine in mines]


def past_work(
    targets: Sequence[Profile],
    earlier: Mapping[str, Sequence[str]],
    profiles: Mapping[str, Profile],
) -> dict[tuple[str, str], float]:
    """How like each target the most similar partnership each adviser worked with before is.

    ``earlier`` maps an adviser's id to the ids of the partnerships they have worked with
    (advised, mentored, or been assigned to), each described in ``profiles``. For every adviser
    and target the result is the best :func:`most_similar` score between the target and one of
    those partnerships, the target itself left out (working with it already is not work with a
    *similar* partnership); pairs that score 0, or whose adviser has no earlier work, are left
    out. One pass over the candidates per target, vectorised as :func:`most_similar_each`.

    >>> a = Profile("A", {"county": 1, "district": 6}, frozenset({"Waste"}), 7, "delivery",
    ...             frozenset({"West Midlands"}), "one front door for council services")
    >>> b = Profile("B", {"county": 1, "district": 7}, frozenset({"Waste"}), 8, "delivery",
    ...             frozenset({"Yorkshire"}), "a joint e-government strategy")
    >>> c = Profile("C", {"company": 1, "unitary": 1}, frozenset(), 2, "idea", frozenset(), "")
    >>> work = past_work([a], {"ADV-1": ["B"], "ADV-2": ["C", "A"]}, {p.id: p for p in (a, b, c)})
    >>> work[("ADV-1", "A")] > work[("ADV-2", "A")] > 0
    True
    """
    ids = sorted({pid for worked in earlier.values() for pid in worked if pid in profiles})
    if not ids or not targets:
        return {}
    prepared = _Candidates([profiles[pid] for pid in ids])
    advisers = [
        a for a, worked in earlier.items() if any(pid in prepared.position for pid in worked)
    ]
    # Each adviser's earlier partnerships as positions among the candidates, padded with a
    # position past them that always scores 0: the best of each row is then one max.
    rows = [sorted({prepared.position[pid] for pid in earlier[a] if pid in prepared.position})
            for a in advisers]  # fmt: skip
    pad = len(ids)
    worked_at = np.full((len(rows), max(len(r) for r in rows)), pad, dtype=np.int64)
    for i, row in enumerate(rows):
        worked_at[i, : len(row)] = row
    result: dict[tuple[str, str], float] = {}
    for target in targets:
        own = prepared.position.get(target.id)
        cos, _ = prepared.text_cosines(target, own)
        total, _ = prepared.scores(target, cos)
        scores = np.append(np.round(total, 6), 0.0)
        if own is not None:
            scores[own] = 0.0  # the target itself is not a similar partnership
        best = scores[worked_at].max(axis=1)
        for k in np.flatnonzero(best > 0).tolist():
            result[(advisers[k], target.id)] = float(best[k])
    return result
