"""Pooled-demand Shapley: the exact spectral engine for whole demands and the proven
bound of the Laplace engine for any demand, against brute force over every coalition and
against the dynamic programme of the first edition."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairshare import Game, MethodError, PiecewiseCurve, Pooled, PowerCurve, _pooled, explain, solve
from fairshare.shapley import pooled_shapley_detail, shapley_exact, shapley_structured

from .strategies import curves

FAST = settings(max_examples=60, deadline=None)


def brute_force(demand, curve) -> np.ndarray:
    """The Shapley value over all 2^n coalitions of the pooled game h(D(S)) - h(0)."""
    players = tuple(f"P{i}" for i in range(len(demand)))
    zero = float(curve(np.zeros(1))[0])
    shares = shapley_exact(Game(players, (Pooled(dict(zip(players, demand, strict=True)), curve),)))
    # every listed partner is a user: curve(0) is charged to every coalition with one, and
    # that part of the game is split equally (shapley_structured adds it back the same way)
    return np.array([shares[p] for p in players]) - zero / len(players)


def h_of(curve):
    zero = float(curve(np.zeros(1))[0])
    return lambda x: curve(x) - zero


def dp_reference(q: np.ndarray, h) -> np.ndarray:
    """The first edition's dynamic programme over demand units (exact for whole demands):
    the distribution of all users' demand at each Gauss-Legendre node, each user removed by
    deconvolution, nodes t > 1/2 by symmetry. O(m^2 L); kept here as an independent check."""
    m = q.size
    length = int(q.sum()) + 1
    order = (m + 1) // 2
    order += order % 2
    nodes, node_weights = np.polynomial.legendre.leggauss(order)
    half = nodes < 0
    t = (nodes[half] + 1.0) / 2.0
    wt = node_weights[half] / 2.0
    dist = np.zeros((t.size, length))
    dist[:, 0] = 1.0
    keep, take = (1.0 - t)[:, None], t[:, None]
    filled = 1
    for qj in np.sort(q):
        if qj == 0:
            continue
        new = filled + qj
        shifted = take * dist[:, : new - qj]
        upper = dist[:, qj:new]
        upper *= keep
        upper += shifted
        dist[:, :qj] *= keep
        filled = new
    grid = np.arange(length, dtype=float)
    h_grid = h(grid)
    phi = np.empty(m)
    for qu in np.unique(q):
        others_t = dist / keep
        for begin in range(qu, length, qu):
            stop = min(begin + qu, length)
            others_t[:, begin:stop] -= (take / keep) * others_t[:, begin - qu : stop - qu]
        span = length - qu
        low = wt @ others_t[:, :span]
        others = low + low[::-1]
        for i in np.flatnonzero(q == qu):
            phi[i] = float(others @ (h(grid[:span] + q[i]) - h_grid[:span]))
    return phi


class TestExactForWholeDemands:
    @given(st.lists(st.integers(0, 40), min_size=1, max_size=10), curves())
    @FAST
    def test_matches_brute_force_over_every_coalition(self, demand, curve):
        result = pooled_shapley_detail(np.array(demand, dtype=float), h_of(curve))
        expected = brute_force(demand, curve)
        assert result.exact and result.bounds is None
        scale = max(1.0, float(np.max(np.abs(expected))))
        assert np.max(np.abs(result.shares - expected)) <= 1e-10 * scale

    @pytest.mark.parametrize(
        "demand",
        [
            np.array([1000] + [1] * 199),  # one large user among many small ones
            np.arange(1, 151),  # 150 distinct demands
            np.random.default_rng(3).integers(1, 3, 400),  # the benchmark's 1-2 units
            np.random.default_rng(4).integers(1, 11, 300),
        ],
        ids=["skewed", "many distinct", "one or two units", "one to ten units"],
    )
    def test_matches_the_first_editions_dynamic_programme(self, demand):
        curve = PowerCurve(50.0, 0.7)
        result = pooled_shapley_detail(demand.astype(float), curve)
        reference = dp_reference(demand.astype(np.int64), curve)
        assert result.exact and result.method == "exact"
        assert np.max(np.abs(result.shares - reference) / reference) < 1e-10
        assert result.shares.sum() == pytest.approx(float(curve(np.array([demand.sum()]))[0]))

    def test_piecewise_tariff_is_exact_too(self):
        demand = np.random.default_rng(5).integers(0, 8, 250).astype(float)
        curve = PiecewiseCurve(((0, 100), (100, 600), (400, 1200), (2000, 2000)))
        h = h_of(curve)
        result = pooled_shapley_detail(demand, h)
        users = demand > 0
        reference = dp_reference(demand[users].astype(np.int64), h)
        assert result.exact
        assert np.max(np.abs(result.shares[users] - reference)) < 1e-9 * reference.max()
        assert np.all(result.shares[~users] == 0.0)

    def test_zero_demand_users_pay_nothing_and_change_nothing(self):
        curve = PowerCurve(3.0, 0.5)
        with_zeros = pooled_shapley_detail(np.array([0.0, 4.0, 0.0, 7.0, 9.0]), curve)
        without = pooled_shapley_detail(np.array([4.0, 7.0, 9.0]), curve)
        assert with_zeros.shares[[0, 2]].tolist() == [0.0, 0.0]
        assert with_zeros.shares[[1, 3, 4]] == pytest.approx(without.shares, rel=1e-13)

    def test_one_user_and_no_demand(self):
        curve = PowerCurve(2.0, 0.5)
        assert pooled_shapley_detail(np.array([0.0, 16.0]), curve).shares.tolist() == [0.0, 8.0]
        none = pooled_shapley_detail(np.zeros(3), curve)
        assert none.exact and none.shares.tolist() == [0.0, 0.0, 0.0]

    def test_common_unit_and_decimals_are_exact(self):
        """Populations rounded to thousands need a thousandth of the FFT; decimals of a
        few places are whole numbers of a small unit."""
        curve = PowerCurve(1.0, 0.6)
        thousands = np.array([12_000.0, 5_000.0, 30_000.0, 1_000.0, 8_000.0])
        result = pooled_shapley_detail(thousands, curve)
        assert result.exact and result.unit == 1000.0 and result.fft_size < 64
        assert result.shares == pytest.approx(brute_force(thousands, curve), rel=1e-12)
        decimals = np.array([0.5, 1.25, 2.0, 0.75, 3.1])
        result = pooled_shapley_detail(decimals, curve)
        assert result.exact and result.unit == pytest.approx(0.05)
        assert result.shares == pytest.approx(brute_force(decimals, curve), rel=1e-12)

    def test_dropped_spectrum_is_within_its_proven_bound(self):
        """Cut the spectrum far more than the default: every weight still moves by no more
        than the stated bound (1 + 2/N) e^-cut."""
        values = np.array([1, 2, 5])
        counts = np.array([600, 300, 100])
        full, nothing, _size = _pooled.spectral_weights(values, counts, cut=np.inf)
        assert nothing == (0.0, 0.0)
        for cut in (2.0, 6.0, 12.0):
            cut_w, (pointwise, mass), _ = _pooled.spectral_weights(values, counts, cut=cut)
            assert pointwise <= 2 * np.exp(-cut) and mass <= 2 * np.exp(-cut)
            worst = max(float(np.max(np.abs(cut_w[v] - full[v]))) for v in full)
            moved = max(float(np.abs(cut_w[v] - full[v]).sum()) for v in full)
            assert worst <= pointwise + mass  # a weight moves by at most this
            assert moved <= pointwise * full[1].size + mass  # and all of them by this
            assert worst > 0  # the cut did drop something
        for w in full.values():  # the weights are a probability distribution
            assert w.sum() == pytest.approx(1.0, abs=1e-12)
            assert w.min() > -1e-15

    def test_national_scale_is_fast_and_exact(self):
        rng = np.random.default_rng(10)
        demand = rng.integers(1, 3, 10_000).astype(float)
        result = pooled_shapley_detail(demand, PowerCurve(50.0, 0.7))
        assert result.exact and result.method == "exact"
        assert result.shares.sum() == pytest.approx(50.0 * demand.sum() ** 0.7, rel=1e-11)
        ones = result.shares[demand == 1]
        twos = result.shares[demand == 2]
        assert np.ptp(ones) == 0 and np.ptp(twos) == 0  # interchangeable users pay alike
        assert result.truncation < 1e-15 * ones[0]


class TestProvenBound:
    @given(
        st.lists(st.floats(1e-3, 1e4), min_size=2, max_size=9),
        st.floats(0.05, 0.98),
    )
    @FAST
    def test_bound_holds_against_brute_force(self, demand, exponent):
        demand = np.array(demand) + np.pi * 1e-7  # surely not whole numbers or decimals
        curve = PowerCurve(7.0, exponent)
        result = pooled_shapley_detail(demand, curve)
        expected = brute_force(demand, curve)
        assert not result.exact and result.method == "proven"
        assert result.bounds is not None
        # brute force rounds differences of coalition costs: about 1e-15 of the total
        rounding = 1e-12 * np.abs(expected) + 1e-13 * expected.sum()
        assert np.all(np.abs(result.shares - expected) <= result.bounds + rounding)
        assert result.relative_bound <= 1e-9

    @pytest.mark.parametrize("exponent", [0.05, 0.5, 0.95])
    def test_skewed_demands_keep_a_tight_proven_bound(self, exponent):
        rng = np.random.default_rng(7)
        demand = np.concatenate([[5e6], rng.uniform(1, 500, 9)])
        curve = PowerCurve(50.0, exponent)
        result = pooled_shapley_detail(demand, curve)
        expected = brute_force(demand, curve)
        assert result.relative_bound <= 1e-9
        rounding = 1e-12 * expected + 1e-13 * expected.sum()
        assert np.all(np.abs(result.shares - expected) <= result.bounds + rounding)

    def test_large_games_against_the_exact_engine(self):
        """Demands of 1-2 units plus a millionth: the proven engine lands within its bound of
        the exact value of the whole-number game, which differs by a millionth of a unit."""
        rng = np.random.default_rng(8)
        whole = rng.integers(1, 3, 2_000).astype(float)
        curve = PowerCurve(50.0, 0.7)
        exact = pooled_shapley_detail(whole, curve)
        proven = pooled_shapley_detail(whole + 1e-9 * np.pi, curve)
        assert exact.exact and not proven.exact
        assert proven.relative_bound <= 1e-9
        close = np.abs(proven.shares - exact.shares) / exact.shares
        assert close.max() < 1e-8

    def test_beyond_the_fft_whole_demands_get_the_proven_engine_and_say_why(self):
        demand = np.array([9_000_001.0, 4_000_003.0, 7_000_019.0, 1.0])  # coprime, 20M units
        result = pooled_shapley_detail(demand, PowerCurve(1.0, 0.5))
        assert not result.exact and result.method == "proven"
        assert "FFT" in result.note
        expected = brute_force(demand, PowerCurve(1.0, 0.5))
        rounding = 1e-12 * expected + 1e-13 * expected.sum()
        assert np.all(np.abs(result.shares - expected) <= result.bounds + rounding)

    def test_piecewise_tariff_with_fractional_demand_is_discretised_and_says_so(self):
        demand = np.random.default_rng(9).uniform(1, 100, 12)
        curve = PiecewiseCurve(((0, 0), (200, 900), (800, 1500)))
        result = pooled_shapley_detail(demand, h_of(curve))
        assert not result.exact and result.method == "discretised"
        assert result.bounds is None and result.proven_bound is None
        assert "not whole numbers" in result.note
        assert result.shares.sum() == pytest.approx(float(curve(np.array([demand.sum()]))[0]))

    def test_an_absurd_resolution_is_refused_clearly(self):
        demand = np.random.default_rng(2).uniform(1, 100, 40)
        curve = PiecewiseCurve(((0, 0), (200, 900), (8000, 15000)))
        with pytest.raises(MethodError, match="cannot be discretised") as caught:
            pooled_shapley_detail(demand, h_of(curve), resolution=1 << 26)
        assert caught.value.field == "resolution"


class TestFlagsCarryThrough:
    def game(self, n=40):
        rng = np.random.default_rng(11)
        players = tuple(f"P{i}" for i in range(n))
        demand = dict(zip(players, rng.uniform(1e4, 2e5, n), strict=True))
        return Game(players, (Pooled(demand, PowerCurve(50.0, 0.7), fixed=1000.0),))

    def test_structured_result_has_a_proven_bound(self):
        result = shapley_structured(self.game())
        assert not result.exact and result.error_kind == "proven"
        assert result.proven_bound is not None and result.proven_bound > 0
        assert result.relative_bound is not None and result.relative_bound <= 1e-9
        assert result.error_estimate == result.proven_bound
        assert "proven error" in result.notes[0]

    def test_allocation_json_and_explanation(self):
        game = self.game()
        result = solve(game, "shapley")
        assert result.error_kind == "proven" and not result.exact
        data = result.to_dict()
        assert data["error_kind"] == "proven"
        assert data["relative_error_bound"] == result.details["relative_error_bound"] <= 1e-9
        assert "proven to be within less than a penny" in explain(game, result)["P0"]

    def test_cli_text_and_json(self, tmp_path, capsys):
        import json

        from fairshare.cli import main

        path = tmp_path / "game.json"
        path.write_text(json.dumps(self.game().to_dict()))
        assert main(["solve", str(path), "--method", "shapley"]) == 0
        text = capsys.readouterr().out
        assert "a proven bound" in text and "of a share" in text
        assert main(["solve", str(path), "--method", "shapley", "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["error_kind"] == "proven" and data["relative_error_bound"] <= 1e-9

    def test_whole_demands_are_exact_through_solve(self):
        players = tuple(f"P{i}" for i in range(300))
        demand = dict(
            zip(players, np.random.default_rng(1).integers(1, 11, 300).tolist(), strict=True)
        )
        result = solve(Game(players, (Pooled(demand, PowerCurve(50.0, 0.7)),)), "shapley")
        assert result.exact and result.error_bound is None and result.error_kind == ""
        assert "relative_error_bound" not in result.to_dict()
