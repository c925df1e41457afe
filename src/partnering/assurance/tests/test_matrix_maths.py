import pytest

from partnering.assurance.maths import (
    Band,
    MatrixError,
    MatrixSpec,
    band_for,
    heat_map,
    score,
    validate,
)

SPEC = MatrixSpec(
    likelihood_labels=["Rare", "Unlikely", "Possible", "Likely", "Almost certain"],
    impact_labels=["Minimal", "Minor", "Moderate", "Major", "Severe"],
    bands=[
        Band(1, "Low", "green"),
        Band(5, "Medium", "yellow"),
        Band(10, "High", "orange"),
        Band(15, "Very high", "red"),
    ],
    tolerance=12,
)


def test_score_and_bands():
    validate(SPEC)
    assert score(SPEC, 4, 5) == 20
    assert band_for(SPEC, 20).label == "Very high"
    assert band_for(SPEC, 4).label == "Low"
    assert band_for(SPEC, 10).label == "High"


@pytest.mark.parametrize("value", [0, 6, -1, True, 2.5])
def test_outside_the_matrix_is_refused(value):
    with pytest.raises(MatrixError) as error:
        score(SPEC, value, 3)
    assert error.value.field == "likelihood"
    with pytest.raises(MatrixError) as error:
        score(SPEC, 3, value)
    assert error.value.field == "impact"


def test_heat_map_counts():
    grid = heat_map(SPEC, [(1, 1), (5, 5), (5, 5), (9, 9)])
    assert grid[0][0] == 1 and grid[4][4] == 2 and sum(map(sum, grid)) == 3


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"impact_labels": ["a"]}, "impact_labels"), ({"bands": [Band(2, "x", "green")]}, "bands"),
     ({"bands": [Band(1, "a", "g"), Band(1, "b", "r")]}, "bands"), ({"tolerance": 25}, "tolerance"),
     ({"likelihood_labels": ["", "b", "c", "d", "e"]}, "likelihood_labels")],
)  # fmt: skip
def test_bad_matrices(changes, field):
    from dataclasses import replace

    with pytest.raises(MatrixError) as error:
        validate(replace(SPEC, **changes))
    assert error.value.field == field


def test_rebase_reports_band_and_tolerance_changes_and_what_does_not_fit():
    from partnering.assurance.maths import rebase

    stricter = MatrixSpec(
        likelihood_labels=SPEC.likelihood_labels,
        impact_labels=SPEC.impact_labels,
        bands=[Band(1, "Low", "green"), Band(8, "High", "red")],
        tolerance=8,
    )
    small = MatrixSpec(
        likelihood_labels=["Low", "Medium", "High"],
        impact_labels=["Low", "Medium", "High"],
        bands=[Band(1, "Low", "green"), Band(4, "High", "red")],
        tolerance=4,
    )
    risks = [(1, [(4, 4), (3, 3), (2, 2)]), (2, [(5, 5), (2, 2), (1, 1)])]
    moved = rebase(SPEC, stricter, risks)
    assert [(r.number, r.current_score, r.old_band, r.new_band) for r in moved] == [
        (1, 9, "Medium", "High"),
        (2, 4, "Low", "Low"),
    ]
    assert [(r.was_above, r.now_above) for r in moved] == [(False, True), (False, False)]
    onto_small = rebase(SPEC, small, risks)
    assert [r.fits for r in onto_small] == [False, False]  # 4 and 5 are beyond a 3 x 3 scale
    assert onto_small[0].new_band is None and onto_small[0].now_above is None
    assert rebase(SPEC, small, [(3, [(3, 3), (2, 1), (1, 1)])])[0].fits
