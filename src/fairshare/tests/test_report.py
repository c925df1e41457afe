"""Savings and plain-English explanations."""

import pytest

import fairshare
from fairshare import Game, explain, savings, solve

COUNCILS = Game.from_costs(
    ["Malvern Hills", "Wychavon", "Worcester"],
    {
        "Malvern Hills": 600_000,
        "Wychavon": 700_000,
        "Worcester": 800_000,
        "Malvern Hills+Wychavon": 1_000_000,
        "Malvern Hills+Worcester": 1_200_000,
        "Wychavon+Worcester": 1_300_000,
        "Malvern Hills+Wychavon+Worcester": 1_500_000,
    },
)


class TestSavings:
    def test_rows_add_up(self):
        rows = savings(COUNCILS, solve(COUNCILS, "nucleolus"))
        assert rows["Malvern Hills"].saving == pytest.approx(225_000)
        assert rows["Malvern Hills"].saving_pct == pytest.approx(37.5)
        assert sum(r.share_of_total_saving for r in rows.values()) == pytest.approx(100)
        assert sum(r.saving for r in rows.values()) == pytest.approx(600_000)


class TestExplain:
    def test_in_core_paragraph(self):
        texts = explain(COUNCILS, solve(COUNCILS, "nucleolus"))
        text = texts["Malvern Hills"]
        assert text.startswith("Malvern Hills pays £375,000 under the nucleolus")
        assert "Alone it would pay £600,000, so it saves £225,000 (37.5%)." in text
        assert "saves the partnership £600,000 in all, of which Malvern Hills keeps 37.5%" in text
        assert text.endswith("No group of partners could do better by leaving.")

    def test_names_the_group_that_would_do_better(self):
        shares = {"Malvern Hills": 300_000, "Wychavon": 300_000, "Worcester": 900_000}
        texts = explain(COUNCILS, shares, "proportional")
        assert "Worcester would be £100,000 better off going alone" in texts["Worcester"]
        assert "Worcester would pay £100,000 less" in texts["Wychavon"]
        assert "pays £100,000 more than going alone" in texts["Worcester"]

    def test_every_method_has_an_explanation(self):
        for method, result in fairshare.compare_all(COUNCILS).items():
            texts = explain(COUNCILS, result)
            assert set(texts) == set(COUNCILS.players), method
            assert fairshare.METHOD_LABELS[method] in texts["Wychavon"]

    def test_sampled_estimate_mentions_uncertainty(self):
        texts = explain(COUNCILS, solve(COUNCILS, "shapley", samples=200, seed=1))
        assert "an estimate, give or take" in texts["Worcester"]
