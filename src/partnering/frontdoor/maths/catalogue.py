"""The service catalogue: the Local Government Service List with everyday words, and its search.

Pure Python (no Django): the catalogue is read from the room's copy of ``services_lgsl.csv``.
Search ranks by (1) everyday phrases and words that name a service ("bins", "pothole",
"council tax"), weighted so the service people usually mean comes first, (2) the words of the
official label, weighted by how rare they are in the list, (3) a small bonus for services on the
current GOV.UK list. Spelling variants are mapped first ("rubish" -> "rubbish", "fly-tipping" ->
"fly tipping"), then unknown words are matched to the nearest known word (difflib) when close.
"""

from __future__ import annotations

import csv
import difflib
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

TWO_TIER_PROVIDERS = ("county", "district", "both")

# Everyday words and phrases -> (LGSL code, weight). The first, heaviest code is what people
# usually mean; lighter ones follow it in the results.
SYNONYMS: dict[str, tuple[tuple[int, float], ...]] = {
    "bin": ((524, 10), (533, 4), (528, 3)),
    "bins": ((524, 10), (533, 4), (528, 3)),
    "bin day": ((524, 12),),
    "bin collection": ((524, 12),),
    "missed bin": ((524, 12),),
    "rubbish": ((524, 10), (528, 4), (587, 3)),
    "refuse": ((524, 10),),
    "rubbish collection": ((524, 12),),
    "refuse collection": ((524, 12),),
    "bins collected": ((524, 12),),
    "waste": ((524, 6), (850, 3), (530, 3), (534, 3)),
    "household waste": ((524, 8),),
    "recycling": ((533, 10), (524, 5), (534, 4)),
    "recycling bin": ((533, 12),),
    "recycling centre": ((534, 12),),
    "tip": ((534, 10),),
    "tips": ((534, 10),),
    "dump": ((534, 8),),
    "garden waste": ((530, 12),),
    "brown bin": ((530, 10),),
    "bulky waste": ((528, 12),),
    "sofa": ((528, 8),),
    "fridge": ((528, 8),),
    "pothole": ((557, 12), (537, 3), (558, 2)),
    "potholes": ((557, 12), (537, 3), (558, 2)),
    "road repair": ((557, 12), (537, 3)),
    "road repairs": ((557, 12), (537, 3)),
    "hole in the road": ((557, 12),),
    "hole in road": ((557, 12),),
    "road": ((557, 5), (550, 3), (555, 2), (561, 2)),
    "pavement": ((537, 10),),
    "footpath": ((537, 8),),
    "council tax": ((57, 12), (59, 5), (63, 4)),
    "council tax discount": ((59, 14),),
    "single person discount": ((59, 12),),
    "school place": ((13, 12), (14, 10), (12, 6)),
    "school places": ((13, 12), (14, 10), (12, 6)),
    "school admission": ((13, 10), (14, 9)),
    "school admissions": ((13, 10), (14, 9)),
    "primary school": ((13, 12),),
    "secondary school": ((14, 12),),
    "school": ((13, 5), (14, 4), (3, 2), (36, 2)),
    "school bus": ((3, 10),),
    "school transport": ((3, 10),),
    "term dates": ((36, 12),),
    "blue badge": ((279, 14),),
    "disabled parking": ((279, 10), (274, 6)),
    "bus pass": ((273, 10), (280, 8)),
    "fly tipping": ((587, 14),),
    "flytipping": ((587, 14),),
    "dumped rubbish": ((587, 12),),
    "dumping": ((587, 10),),
    "street light": ((564, 14),),
    "street lights": ((564, 14),),
    "streetlight": ((564, 14),),
    "street lamp": ((564, 14),),
    "lamp post": ((564, 12),),
    "light out": ((564, 10),),
    "graffiti": ((584, 12),),
    "dog poo": ((577, 12),),
    "dog mess": ((577, 12),),
    "dog fouling": ((577, 12),),
    "stray dog": ((432, 12),),
    "dog warden": ((432, 12),),
    "noise": ((412, 12),),
    "noisy neighbours": ((412, 12),),
    "rats": ((431, 12),),
    "mice": ((431, 10),),
    "pest": ((431, 10),),
    "pests": ((431, 10),),
    "wasps": ((431, 10),),
    "abandoned car": ((372, 12),),
    "abandoned vehicle": ((372, 12),),
    "dead animal": ((576, 12),),
    "roadkill": ((576, 12),),
    "litter": ((580, 10),),
    "street cleaning": ((580, 12),),
    "blocked drain": ((664, 12),),
    "drain": ((664, 8), (555, 4)),
    "flooding": ((555, 10),),
    "flooded road": ((555, 12),),
    "gritting": ((561, 12),),
    "grit": ((561, 10),),
    "snow": ((561, 8), (1307, 4)),
    "ice": ((561, 8),),
    "traffic lights": ((567, 12),),
    "crossing": ((568, 10),),
    "speed limit": ((571, 12),),
    "dropped kerb": ((477, 12),),
    "library": ((437, 12),),
    "libraries": ((437, 12),),
    "housing benefit": ((69, 12),),
    "council house": ((92, 12),),
    "council housing": ((92, 12),),
    "homeless": ((112, 12),),
    "homelessness": ((112, 12),),
    "planning": ((516, 8), (499, 4)),
    "planning permission": ((516, 10),),
    "building regulations": ((499, 12),),
    "parking fine": ((471, 12),),
    "parking ticket": ((471, 12),),
    "parking permit": ((474, 12),),
    "allotment": ((510, 12),),
    "allotments": ((510, 12),),
    "vote": ((364, 10),),
    "register to vote": ((364, 12),),
    "electoral register": ((364, 12),),
    "fostering": ((159, 12),),
    "adoption": ((160, 12),),
    "adopt": ((160, 10),),
    "social care": ((209, 10), (1743, 6)),
    "care assessment": ((209, 12),),
    "free school meals": ((4, 14),),
    "school meals": ((4, 12),),
    "councillor": ((358, 12),),
    "councillors": ((358, 12),),
    "complaint": ((353, 10),),
    "complain": ((353, 10),),
    "tree": ((508, 6),),
    "park": ((461, 8),),
    "parks": ((461, 8),),
    "alcohol licence": ((860, 12),),
    "licence to sell alcohol": ((860, 12),),
    "street party": ((1580, 12),),
}

# Spelling variants and misspellings people type, mapped before matching.
VARIANTS: dict[str, str] = {
    "rubish": "rubbish",
    "rubbis": "rubbish",
    "garbage": "rubbish",
    "trash": "rubbish",
    "fly-tipping": "fly tipping",
    "fly tip": "fly tipping",
    "flytip": "flytipping",
    "pot hole": "pothole",
    "pot holes": "potholes",
    "pot-hole": "pothole",
    "wheelie bin": "bin",
    "wheelie bins": "bins",
    "dustbin": "bin",
    "dustbins": "bins",
    "blue-badge": "blue badge",
    "bluebadge": "blue badge",
    "counciltax": "council tax",
    "ctax": "council tax",
    "street-light": "street light",
    "streetlamp": "street lamp",
    "lamppost": "lamp post",
    "recyling": "recycling",
    "recycle": "recycling",
    "grafitti": "graffiti",
    "grafiti": "graffiti",
    "licence": "licence",
    "license": "licence",
    "neighbors": "neighbours",
    "colour": "colour",
    "kerb": "kerb",
    "curb": "kerb",
}

# Services that both tiers provide in part, or where the other tier does a related part: said.
SPLIT_NOTES: dict[int, str] = {
    524: "In a two-tier area the district collects bins; the county runs the tips (household waste recycling centres).",
    533: "In a two-tier area the district collects recycling; the county runs the tips (household waste recycling centres).",
    528: "In a two-tier area the district collects large items; the county runs the tips.",
    534: "In a two-tier area the county runs the tips (household waste recycling centres); the district collects bins.",
    851: "In a two-tier area the district collects recycling; the county runs the tips.",
    471: "Parking fines are issued by the district for its car parks and by the county (or the district on its behalf) for streets.",
    474: "Parking permits: the district for its car parks, the county for streets (often run by the district on its behalf).",
    461: "Both councils run parks: most local parks are the district's, country parks often the county's.",
    591: "Spillages on main roads are the county's (highways); clearing up on streets is the district's (street cleaning).",
    107: "The district provides sheltered housing; the county arranges supported housing as part of social care.",
    18: "Holiday schemes are run by both: the county for children's services, the district for leisure.",
}

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "about",
        "are",
        "at",
        "by",
        "can",
        "do",
        "does",
        "for",
        "find",
        "from",
        "get",
        "how",
        "i",
        "in",
        "info",
        "information",
        "is",
        "it",
        "me",
        "more",
        "my",
        "of",
        "on",
        "or",
        "out",
        "our",
        "please",
        "the",
        "their",
        "there",
        "this",
        "to",
        "up",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "with",
        "you",
        "your",
    ]
)

_LABEL_PREFIXES = ("find out more about ", "find out about ", "find out ", "find your ", "find ")


def normalise(text: str) -> str:
    """Lower case, punctuation to spaces, spelling variants mapped, single spaces."""
    lowered = text.lower().replace("&", " and ")
    lowered = re.sub(r"[’'`]", "", lowered)
    lowered = re.sub(r"[^a-z0-9\- ]+", " ", lowered)
    lowered = " ".join(lowered.split())
    for variant, canonical in sorted(VARIANTS.items(), key=lambda kv: -len(kv[0])):
        lowered = re.sub(rf"(?<![a-z]){re.escape(variant)}(?![a-z])", canonical, lowered)
    return " ".join(lowered.replace("-", " ").split())


def short_name(label: str) -> str:
    """'Find out about potholes' -> 'Potholes' (the label without its 'Find out about')."""
    text = " ".join(label.split())
    lower = text.lower()
    for prefix in _LABEL_PREFIXES:
        if lower.startswith(prefix):
            text = text[len(prefix) :]
            break
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Service:
    lgsl_code: int
    label: str
    providing_tier: str  # raw: county/unitary, district/unitary, all
    two_tier_provider: str  # county | district | both
    current: bool
    slug: str = ""

    @property
    def name(self) -> str:
        return short_name(self.label)

    @property
    def split_note(self) -> str:
        if self.lgsl_code in SPLIT_NOTES:
            return SPLIT_NOTES[self.lgsl_code]
        if self.two_tier_provider == "both":
            return (
                "In a two-tier area both the county and the district provide parts of this service."
            )
        return ""

    @property
    def tier_phrase(self) -> str:
        """How the reason line names who provides it: 'districts', 'counties' or 'both tiers'."""
        return {"county": "counties", "district": "districts"}.get(
            self.two_tier_provider, "both counties and districts"
        )


@dataclass(frozen=True)
class Match:
    service: Service
    score: float
    matched: str  # what matched: the everyday phrase or "name"


@dataclass
class Catalogue:
    services: dict[int, Service]
    _label_tokens: dict[int, frozenset[str]] = field(default_factory=dict, repr=False)
    _idf: dict[str, float] = field(default_factory=dict, repr=False)
    _vocabulary: list[str] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        counts: dict[str, int] = defaultdict(int)
        for code, service in self.services.items():
            tokens = frozenset(_stem(t) for t in tokenise(normalise(service.label)))
            self._label_tokens[code] = tokens
            for token in tokens:
                counts[token] += 1
        total = max(1, len(self.services))
        self._idf = {token: math.log(1 + total / n) for token, n in counts.items()}
        words = {w for phrase in SYNONYMS for w in phrase.split()}
        words |= {
            w for service in self.services.values() for w in tokenise(normalise(service.label))
        }
        self._vocabulary = sorted(words)

    def get(self, code: int) -> Service | None:
        return self.services.get(code)

    def search(self, query: str, *, limit: int = 10) -> list[Match]:
        """Services for the words, best first (empty when nothing matches)."""
        text = self._correct(normalise(query))
        if not text:
            return []
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, str] = {}
        if text.isdigit() and int(text) in self.services:  # an LGSL code
            scores[int(text)] += 100
            matched[int(text)] = "code"
        padded = f" {text} "
        for phrase, targets in SYNONYMS.items():
            if f" {phrase} " in padded:
                length_bonus = len(phrase.split())
                for code, weight in targets:
                    if code in self.services:
                        scores[code] += weight * length_bonus
                        matched.setdefault(code, phrase)
        tokens = {_stem(t) for t in tokenise(text)}
        if tokens:
            for code, label_tokens in self._label_tokens.items():
                common = tokens & label_tokens
                if common:
                    coverage = len(common) / len(tokens)
                    scores[code] += sum(self._idf[t] for t in common) * (1 + coverage)
                    matched.setdefault(code, "name")
        ranked = [
            Match(
                self.services[code],
                score * (1.0 if self.services[code].current else 0.6),
                matched[code],
            )
            for code, score in scores.items()
            if score > 0
        ]
        ranked.sort(key=lambda m: (-m.score, not m.service.current, m.service.lgsl_code))
        return ranked[:limit]

    def _correct(self, text: str) -> str:
        """Each unknown word replaced by the nearest known word when it is close (typos)."""
        words = []
        for word in text.split():
            if word in STOPWORDS or word.isdigit() or len(word) < 4 or word in self._vocabulary:
                words.append(word)
                continue
            close = difflib.get_close_matches(word, self._vocabulary, n=1, cutoff=0.82)
            words.append(close[0] if close else word)
        return " ".join(words)


def tokenise(text: str) -> list[str]:
    return [w for w in text.split() if w not in STOPWORDS and len(w) > 1]


def _stem(word: str) -> str:
    """A light plural stem so 'lights' meets 'light' and 'places' meets 'place'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def read_services(path: Path) -> Catalogue:
    with path.open(encoding="utf-8", newline="") as handle:
        return catalogue_from_rows(csv.DictReader(handle))


def catalogue_from_rows(rows: Iterable[dict[str, str]]) -> Catalogue:
    services: dict[int, Service] = {}
    for row in rows:
        provider = row["two_tier_area_provider"].strip()
        if provider not in TWO_TIER_PROVIDERS:
            raise ValueError(f"LGSL {row['lgsl_code']}: unknown two-tier provider {provider!r}")
        code = int(row["lgsl_code"])
        services[code] = Service(
            lgsl_code=code,
            label=" ".join(row["label"].split()),
            providing_tier=row["providing_tier"].strip(),
            two_tier_provider=provider,
            current=row["in_current_govuk_list"].strip() == "yes",
            slug=row.get("local_links_manager_slug", "").strip(),
        )
    return Catalogue(services)
