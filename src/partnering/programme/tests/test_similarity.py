"""The pure similarity of partnerships (no database)."""

import math
import subprocess
import sys

import pytest

from partnering.programme.maths.similarity import (
    WEIGHTS,
    Profile,
    most_similar,
    past_work,
    similarity,
    tfidf_cosines,
    words,
)


def profile(id, tiers=None, services=(), size=2, stage="idea", regions=(), text=""):
    return Profile(id, tiers or {}, frozenset(services), size, stage, frozenset(regions), text)


class TestSimilarity:
    def test_identical_profiles_score_one_on_every_part_but_text(self):
        p = profile("a", {"county": 1, "district": 3}, {"Waste"}, 4, "delivery", {"North"})
        parts = similarity(p, p, text=1.0)
        assert parts == dict.fromkeys(WEIGHTS, 1.0)

    def test_disjoint_profiles_score_zero(self):
        a = profile("a", {"county": 1}, {"Waste"}, 0, "idea", {"North"})
        b = profile("b", {"company": 2}, {"Leisure"}, 5, "review", {"South"})
        assert similarity(a, b) == dict.fromkeys(WEIGHTS, 0.0)

    def test_neighbouring_stage_counts_half(self):
        a, b = profile("a", stage="scoping"), profile("b", stage="options_appraisal")
        assert similarity(a, b)["stage"] == 0.5

    def test_size_is_the_ratio_of_smaller_to_larger(self):
        assert similarity(profile("a", size=3), profile("b", size=12))["size"] == 0.25

    def test_tier_mix_is_a_cosine_of_counts(self):
        a = profile("a", {"county": 1, "district": 1})
        b = profile("b", {"district": 1})
        assert math.isclose(similarity(a, b)["tiers"], 1 / math.sqrt(2))

    def test_weights_add_up_to_one(self):
        assert math.isclose(sum(WEIGHTS.values()), 1.0)


class TestTfidf:
    def test_stop_words_and_case_are_ignored(self):
        assert words("The Joint E-Government strategy of the COUNCILS") == [
            "joint", "e-government", "strategy",
        ]  # fmt: skip

    def test_cosine_by_hand(self):
        # df over 2 documents (the text and the query): joint 1, e-government 2, strategy 2;
        # smoothed idf = ln((1 + 2) / (1 + df)) + 1.
        cos, shared = tfidf_cosines("joint e-government strategy", ["e-government strategy"])
        i1, i2 = math.log(3 / 2) + 1, math.log(3 / 3) + 1
        expected = (2 * i2 * i2) / (math.sqrt(i1**2 + 2 * i2**2) * math.sqrt(2 * i2**2))
        assert math.isclose(float(cos[0]), expected)
        assert shared == [["e-government", "strategy"]]

    def test_empty_query_is_zero(self):
        cos, shared = tfidf_cosines("", ["anything at all"])
        assert cos.tolist() == [0.0] and shared == [[]]


class TestMostSimilar:
    def test_ranks_by_score_then_id_and_skips_itself(self):
        mine = profile("m", {"county": 1, "district": 6}, {"Waste", "Benefits"}, 7, "delivery")
        twin = profile("twin", {"county": 1, "district": 6}, {"Waste", "Benefits"}, 7, "delivery")
        far = profile("far", {"company": 1}, set(), 1, "closed")
        also_far = profile("afar", {"company": 1}, set(), 1, "closed")
        result = most_similar(mine, [far, mine, twin, also_far], limit=3)
        assert [m.id for m in result] == ["twin", "afar", "far"]
        assert result[1].score == result[2].score

    def test_best_matches_an_exhaustive_ranking(self):
        mine = profile(
            "m", {"county": 1, "district": 2}, {"A", "B"}, 3, "scoping", {"X"}, "one front door"
        )
        others = [
            profile(f"p{i}", {"district": i % 3 + 1, "county": i % 2}, {"A", "C"} if i % 2 else {"B"},
                    i + 1, ["idea", "scoping", "delivery"][i % 3], {"X"} if i % 4 == 0 else {"Y"},
                    "front door services" if i % 3 == 0 else "waste")
            for i in range(12)
        ]  # fmt: skip
        cos, _ = tfidf_cosines(mine.text, [o.text for o in others])
        scores = {
            o.id: sum(WEIGHTS[k] * v for k, v in similarity(mine, o, float(c)).items())
            for o, c in zip(others, cos, strict=True)
        }
        best = sorted(scores, key=lambda k: (-scores[k], k))[:4]
        assert [m.id for m in most_similar(mine, others, limit=4)] == best

    def test_reasons_name_what_is_shared(self):
        mine = profile("m", {"county": 1, "district": 6}, {"Waste collection"}, 7, "delivery",
                       {"West Midlands"}, "a joint e-government strategy")  # fmt: skip
        other = profile("o", {"county": 1, "district": 6}, {"Waste collection"}, 8, "delivery",
                        {"West Midlands"}, "e-government for every district")  # fmt: skip
        reasons = most_similar(mine, [other])[0].reasons
        assert "the same mix of member tiers (county, district)" in reasons
        assert "1 service area in common (Waste collection)" in reasons
        assert "a similar size (8 members; yours has 7)" in reasons
        assert "purposes that share the words ‘e-government’" in reasons
        assert "also in West Midlands" in reasons
        assert "at the same stage (delivery)" in reasons

    def test_nothing_in_common_says_so(self):
        result = most_similar(
            profile("a", {"county": 1}, size=1),
            [profile("b", {"company": 1}, size=9, stage="review")],
        )
        assert result[0].reasons == ("nothing in particular in common",)

    @pytest.mark.parametrize("limit", [0, -1])
    def test_no_results_for_a_non_positive_limit(self, limit):
        assert most_similar(profile("a"), [profile("b")], limit=limit) == []


def test_doctests_pass():
    import doctest

    from partnering.programme.maths import similarity as module

    assert doctest.testmod(module).failed == 0


def test_importing_it_loads_no_django():
    code = "import sys, partnering.programme.maths.similarity; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


class TestMostSimilarEach:
    """The vectorised ranking of many partnerships at once gives what ``most_similar`` gives
    for each (ids in order, scores, reasons), whether or not a partnership is itself a
    candidate (a closed one is not)."""

    WORDS = [
        "joint",
        "e-government",
        "strategy",
        "waste",
        "leisure",
        "revenues",
        "benefits",
        "shared",
        "ict",
        "front",
        "door",
    ]

    def _random(self, rng, i):
        tiers = {
            t: rng.randint(1, 3)
            for t in rng.sample(
                ["county", "district", "unitary", "company", "charity"], rng.randint(0, 3)
            )
        }
        return profile(
            f"p{i:03d}", tiers, set(rng.sample(["Waste", "Leisure", "Benefits", "ICT"], rng.randint(0, 3))),
            rng.randint(0, 6), rng.choice(["idea", "scoping", "delivery", "review", "closed", "odd"]),
            set(rng.sample(["North", "South", "East"], rng.randint(0, 2))),
            " ".join(rng.choice(self.WORDS) for _ in range(rng.randint(0, 6))),
        )  # fmt: skip

    @pytest.mark.parametrize("seed", range(6))
    def test_it_ranks_as_most_similar_does_one_at_a_time(self, seed):
        import random

        from partnering.programme.maths.similarity import most_similar_each

        rng = random.Random(seed)
        everyone = [self._random(rng, i) for i in range(60)]
        rng.shuffle(everyone)  # ties go in id order, not in the order given
        candidates = [p for p in everyone if p.stage != "closed"]
        for limit in (1, 5, 50):
            each = most_similar_each(everyone, candidates, limit=limit)
            for mine, got in zip(everyone, each, strict=True):
                want = most_similar(mine, candidates, limit=limit)
                assert [(m.id, m.score, m.reasons) for m in got] == [
                    (m.id, m.score, m.reasons) for m in want
                ]

    def test_nothing_to_rank_against(self):
        from partnering.programme.maths.similarity import most_similar_each

        a = profile("a", text="joint waste")
        assert most_similar_each([a], [a]) == [[]]
        assert most_similar_each([a], []) == [[]]

    def test_a_counted_list_runs_until_enough_of_the_counted_ones(self):
        import random

        from partnering.programme.maths.similarity import most_similar_each

        rng = random.Random(7)
        everyone = [self._random(rng, i) for i in range(60)]
        counted = frozenset(p.id for p in everyone if rng.random() < 0.4)
        each = most_similar_each(everyone, everyone, limit=3, counted=counted, most=20)
        for mine, got in zip(everyone, each, strict=True):
            want = most_similar(mine, everyone, limit=20)
            ids = [m.id for m in want]
            ends = [i for i, m in enumerate(ids) if m in counted][2:3] or [len(ids) - 1]
            assert [(m.id, m.score, m.reasons) for m in got] == [
                (m.id, m.score, m.reasons) for m in want[: ends[0] + 1]
            ]
            assert sum(m.id in counted for m in got) == min(3, sum(i in counted for i in ids))


class TestPastWork:
    def test_is_the_best_score_among_each_advisers_earlier_partnerships_but_the_target(self):
        import random

        rng = random.Random(4)
        texts = ["one front door for services", "a joint waste depot", "shared ict service",
                 "revenues and benefits together", ""]  # fmt: skip
        ps = [
            profile(f"P{i}", {"county": rng.randint(0, 1), "district": rng.randint(0, 4)},
                    rng.sample(["Waste", "Libraries", "Benefits"], rng.randint(0, 2)),
                    rng.randint(1, 8), rng.choice(["idea", "scoping", "delivery"]),
                    {rng.choice(["North", "South"])}, rng.choice(texts))
            for i in range(12)
        ]  # fmt: skip
        by_id = {p.id: p for p in ps}
        earlier = {"A": ["P1", "P2", "P3"], "B": ["P4"], "C": ["P0", "P5"], "D": []}
        work = past_work(ps[:3], earlier, by_id)
        union = sorted({i for ids in earlier.values() for i in ids})
        assert work, "some adviser has worked with something like a target"
        for target in ps[:3]:
            ranked = {m.id: m.score for m in most_similar(target, [by_id[i] for i in union],
                                                          limit=len(union))}  # fmt: skip
            for adviser, ids in earlier.items():
                best = max((ranked[i] for i in ids if i != target.id), default=0.0)
                assert work.get((adviser, target.id), 0.0) == pytest.approx(best, abs=1e-6)
        assert not any(adviser == "D" for adviser, _ in work)
