"""Risk and reward sharing by seeded Monte Carlo."""

import numpy as np
import pytest

from fairshare import Estimate, InvalidRiskInputError, SharingRule, simulate_risk

SHARES = {"A": 100.0, "B": 300.0}


class TestSimulateRisk:
    def test_proportional_exposure_scales_with_share(self):
        result = simulate_risk(
            SHARES, [(0, 1000, 4000), (-500, 0, 500)], SharingRule.proportional(), runs=5000
        )
        assert result.exposures["B"].p50 == pytest.approx(3 * result.exposures["A"].p50)
        assert result.exposures["A"].p90 > result.exposures["A"].p50
        assert result.total.mean == pytest.approx(5000 / 3 + 0, rel=0.05)  # triangular means

    def test_same_seed_same_result(self):
        def run():
            return simulate_risk(
                SHARES, [(0, 10, 20)], SharingRule.proportional(), runs=100, seed=9
            )

        assert run() == run()

    def test_capped_partner_never_exceeds_cap(self):
        rule = SharingRule.capped({"B": 1000})
        result = simulate_risk(SHARES, [(0, 2000, 6000)], rule, runs=4000)
        assert result.exposures["B"].p90 <= 1000 + 1e-9
        # the excess goes to A; nothing is left unallocated because A has no cap
        assert result.counterparty.p90 == 0
        assert result.exposures["A"].mean + result.exposures["B"].mean == pytest.approx(
            result.total.mean
        )

    def test_everyone_capped_leaves_a_residual(self):
        result = simulate_risk(
            SHARES, [(1000, 1000, 1000)], SharingRule.capped({"A": 100, "B": 200}), runs=10
        )
        assert result.exposures["A"].p50 == pytest.approx(100)
        assert result.exposures["B"].p50 == pytest.approx(200)
        assert result.counterparty.p50 == pytest.approx(700)

    def test_pain_gain_bands(self):
        """NEC4 Option C style: first 10% of a £1m target overrun shared 50/50, the next 10%
        75/25, the rest borne by the partnership; savings shared 50/50."""
        rule = SharingRule.pain_gain(
            [(0.1, 0.5), (0.2, 0.75), (None, 1.0)], [(None, 0.5)], target=1e6
        )
        result = simulate_risk(SHARES, [(150_000, 150_000, 150_000)], rule, runs=10)
        assert result.exposures["A"].p50 + result.exposures["B"].p50 == pytest.approx(87_500)
        assert result.counterparty.p50 == pytest.approx(62_500)
        gain = simulate_risk(SHARES, [(-40_000, -40_000, -40_000)], rule, runs=10)
        assert gain.exposures["B"].p50 == pytest.approx(-15_000)

    def test_pert_has_the_right_mean(self):
        estimate = Estimate(0, 10, 100, distribution="pert")
        draws = estimate.sample(np.random.default_rng(0), 200_000)
        assert draws.mean() == pytest.approx(estimate.mean, rel=0.01)

    @pytest.mark.parametrize(
        "estimates",
        [[], [(3, 2, 1)], [("a", 1, 2)], [{"low": 1}], [(0, 1, 2, 3)]],
    )
    def test_bad_estimates(self, estimates):
        with pytest.raises(InvalidRiskInputError):
            simulate_risk(SHARES, estimates, SharingRule.proportional())


class TestSharingRule:
    def test_bad_rules(self):
        with pytest.raises(InvalidRiskInputError):
            SharingRule("lottery")
        with pytest.raises(InvalidRiskInputError):
            SharingRule.pain_gain([(0.2, 0.5), (0.1, 0.5)])
        with pytest.raises(InvalidRiskInputError):
            SharingRule.pain_gain([(None, 1.5)])
        with pytest.raises(InvalidRiskInputError):
            simulate_risk(SHARES, [(0, 1, 2)], SharingRule.capped({"Z": 1}))
