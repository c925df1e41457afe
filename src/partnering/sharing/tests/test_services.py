"""Services of the sharing room: versions, calculations, agreements, risk, audit, all-or-nothing."""

from datetime import date
from decimal import Decimal

import pytest

from partnering.core.errors import DomainError
from partnering.sharing import services
from partnering.sharing.models import (
    AgreedShare,
    CalculationStatus,
    ComponentValue,
    CostComponent,
    CostModel,
    MemberInput,
    ShareAgreement,
    ShareCalculation,
)
from partnering.sharing.tests.factories import make_partnership, spec_for

pytestmark = pytest.mark.django_db


def _create(partnership, **kwargs):
    return services.cost_model_create(
        partnership=partnership, spec=spec_for(partnership), actor=None, **kwargs
    )


class TestCostModelCreate:
    def test_first_version_is_stored_and_calculated(self, staff_user):
        partnership = make_partnership(3)
        cost_model = services.cost_model_create(
            partnership=partnership, spec=spec_for(partnership), actor=staff_user
        )
        assert cost_model.version == 1
        assert cost_model.change_kind == "first"
        assert cost_model.members.count() == 3
        assert CostComponent.objects.filter(cost_model=cost_model).count() == 3
        assert ComponentValue.objects.filter(component__cost_model=cost_model).count() == 9
        calculation = ShareCalculation.objects.get(cost_model=cost_model)
        assert calculation.status == CalculationStatus.DONE
        assert calculation.is_fresh
        assert set(calculation.results) == {
            "equal",
            "proportional",
            "scrb",
            "shapley",
            "nucleolus",
            "least_core",
        }
        shapley = calculation.results["shapley"]["shares"]
        assert sum(shapley.values()) == pytest.approx(float(calculation.grand_cost), abs=0.01)
        assert calculation.core["shapley"]["in_core"] is True
        assert set(calculation.explanations["shapley"]) == {p["name"] for p in calculation.players}

    def test_creation_is_audited_with_the_actor(self, staff_user):
        partnership = make_partnership(2)
        cost_model = services.cost_model_create(
            partnership=partnership,
            spec=spec_for(partnership),
            change_reason="Board paper",
            actor=staff_user,
        )
        record = cost_model.history.earliest("history_id")
        assert record.history_user == staff_user
        assert record.history_change_reason == "Board paper"

    def test_versions_are_numbered_in_order(self):
        partnership = make_partnership(2)
        assert [_create(partnership).version for _ in range(3)] == [1, 2, 3]
        assert CostModel.objects.get(partnership=partnership, version=3).previous.version == 2

    @pytest.mark.parametrize(
        ("change", "code"),
        [
            (
                lambda s: s.components[0].values.update(
                    {next(iter(s.components[0].values)): Decimal(-5)}
                ),
                "sharing.negative_value",
            ),
            (
                lambda s: s.components[1].values.update({next(iter(s.components[1].values)): None}),
                "sharing.missing_value",
            ),
            (
                lambda s: setattr(s.components[1], "curve_exponent", Decimal("1.5")),
                "sharing.engine_rejected",
            ),
            (lambda s: s.components.clear(), "sharing.no_components"),
            (
                lambda s: setattr(s.components[2], "name", "Own back office"),
                "sharing.duplicate_component",
            ),
            (lambda s: setattr(s.members[0], "weight", None), "sharing.weight_required"),
        ],
    )
    def test_bad_input_is_refused_and_nothing_saved(self, change, code):
        partnership = make_partnership(3)
        spec = spec_for(partnership)
        change(spec)
        with pytest.raises(DomainError) as raised:
            services.cost_model_create(partnership=partnership, spec=spec, actor=None)
        assert raised.value.code == code
        assert not CostModel.objects.exists()
        assert not MemberInput.objects.exists()
        assert not ShareCalculation.objects.exists()

    def test_engine_message_is_passed_on(self):
        partnership = make_partnership(2)
        spec = spec_for(partnership)
        spec.components[1].curve_exponent = Decimal("1.5")
        with pytest.raises(DomainError, match="must be concave"):
            services.cost_model_create(partnership=partnership, spec=spec, actor=None)


class TestCostModelUpdate:
    def test_changing_figures_recalculates(self):
        partnership = make_partnership(3)
        cost_model = _create(partnership)
        before = ShareCalculation.objects.get(cost_model=cost_model).grand_cost
        spec = services.spec_from_cost_model(cost_model)
        for oid in spec.components[0].values:
            spec.components[0].values[oid] += Decimal(1000)
        services.cost_model_update(cost_model=cost_model, spec=spec, actor=None)
        calculation = ShareCalculation.objects.get(cost_model=cost_model)
        assert calculation.grand_cost == before + 3000
        assert calculation.is_fresh

    def test_a_rejected_update_keeps_the_old_figures(self):
        partnership = make_partnership(3)
        cost_model = _create(partnership)
        spec = services.spec_from_cost_model(cost_model)
        oid = next(iter(spec.components[0].values))
        spec.components[0].values[oid] = Decimal(-1)
        with pytest.raises(DomainError):
            services.cost_model_update(cost_model=cost_model, spec=spec, actor=None)
        assert not ComponentValue.objects.filter(value__lt=0).exists()
        assert ComponentValue.objects.filter(component__cost_model=cost_model).count() == 9

    def test_an_agreed_version_cannot_change(self):
        partnership = make_partnership(2)
        cost_model = _create(partnership)
        services.agreement_record(
            cost_model=cost_model,
            method="shapley",
            agreed_on=date(2002, 7, 1),
            reason="Fair",
            actor=None,
        )
        with pytest.raises(DomainError) as raised:
            services.cost_model_update(
                cost_model=cost_model, spec=services.spec_from_cost_model(cost_model), actor=None
            )
        assert raised.value.code == "sharing.not_draft"


class TestAgreementRecord:
    def test_shares_in_pence_add_up_to_the_total(self, staff_user):
        partnership = make_partnership(3)
        cost_model = _create(partnership)
        agreement = services.agreement_record(
            cost_model=cost_model,
            method="nucleolus",
            agreed_on=date(2002, 7, 1),
            reason="Stable",
            actor=staff_user,
        )
        calculation = ShareCalculation.objects.get(cost_model=cost_model)
        pence = list(agreement.shares.values_list("amount_pence", flat=True))
        assert sum(pence) == agreement.total_pence == round(calculation.grand_cost * 100)
        assert agreement.in_core
        assert agreement.agreed_by == staff_user
        assert agreement.version == 1
        cost_model.refresh_from_db()
        assert cost_model.status == "agreed"
        assert agreement.history.get().history_user == staff_user

    def test_the_latest_agreement_of_a_draft_is_none_without_a_query(
        self, django_assert_num_queries
    ):
        from partnering.sharing import selectors

        partnership = make_partnership(2)
        cost_model = _create(partnership)
        with django_assert_num_queries(0):
            assert selectors.latest_agreement(cost_model) is None
        agreement = services.agreement_record(
            cost_model=cost_model, method="equal", agreed_on=date(2002, 7, 1), reason="Simple",
            actor=None,
        )  # fmt: skip
        fetched = selectors.cost_model_get(partnership, cost_model.version)
        assert not fetched.is_draft and selectors.latest_agreement(fetched) == agreement

    def test_a_new_agreement_links_to_the_previous_one(self):
        partnership = make_partnership(2)
        first = services.agreement_record(
            cost_model=_create(partnership),
            method="equal",
            agreed_on=date(2002, 7, 1),
            reason="Simple",
            actor=None,
        )
        second = services.agreement_record(
            cost_model=_create(partnership),
            method="shapley",
            agreed_on=date(2003, 7, 1),
            reason="Fairer",
            actor=None,
        )
        assert (second.version, second.previous) == (2, first)

    @pytest.mark.parametrize(("method", "reason", "code"), [
        ("shapley", "  ", "sharing.reason_required"),
        ("bogus", "Why", "sharing.method_unavailable"),
    ])  # fmt: skip
    def test_refused_without_a_reason_or_method(self, method, reason, code):
        cost_model = _create(make_partnership(2))
        with pytest.raises(DomainError) as raised:
            services.agreement_record(
                cost_model=cost_model,
                method=method,
                agreed_on=date(2002, 7, 1),
                reason=reason,
                actor=None,
            )
        assert raised.value.code == code
        assert not ShareAgreement.objects.exists()
        assert not AgreedShare.objects.exists()

    def test_refused_when_the_figures_changed_since_calculation(self):
        cost_model = _create(make_partnership(2))
        CostModel.objects.filter(pk=cost_model.pk).update(inputs_hash="changed")
        with pytest.raises(DomainError) as raised:
            services.agreement_record(
                cost_model=cost_model,
                method="shapley",
                agreed_on=date(2002, 7, 1),
                reason="Why",
                actor=None,
            )
        assert raised.value.code == "sharing.not_calculated"


class TestBackgroundCalculation:
    def test_large_partnership_is_queued_then_calculated_by_the_task(
        self, django_capture_on_commit_callbacks
    ):
        partnership = make_partnership(13)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            cost_model = _create(partnership)
            calculation = ShareCalculation.objects.get(cost_model=cost_model)
            assert calculation.status == CalculationStatus.QUEUED
            assert calculation.is_background
        assert len(callbacks) == 1
        callbacks[0]()  # the ImmediateBackend runs the task at once
        calculation.refresh_from_db()
        assert calculation.status == CalculationStatus.DONE
        assert calculation.task_id
        assert len(calculation.players) == 13


class TestRiskScenario:
    def test_each_member_gets_p50_and_p90(self):
        cost_model = _create(make_partnership(3))
        scenario = services.risk_scenario_create(
            cost_model=cost_model, name="Overrun", split_basis="shapley", rule="capped",
            cap=Decimal(20_000),
            estimates=[services.EstimateSpec("Shared CRM", Decimal(0), Decimal(30_000), Decimal(90_000))],
            actor=None,
        )  # fmt: skip
        exposures = scenario.results["exposures"]
        assert len(exposures) == 3
        assert all(e["p90"] >= e["p50"] for e in exposures.values())
        assert all(e["p90"] <= 20_000 + 0.01 for e in exposures.values())

    def test_bad_estimate_is_refused_with_the_engine_message(self):
        cost_model = _create(make_partnership(2))
        with pytest.raises(DomainError) as raised:
            services.risk_scenario_create(
                cost_model=cost_model, name="Bad", split_basis="shapley", rule="proportional",
                estimates=[services.EstimateSpec("CRM", Decimal(10), Decimal(5), Decimal(1))], actor=None,
            )  # fmt: skip
        assert raised.value.code == "sharing.risk_rejected"
        assert not cost_model.risk_scenarios.exists()

    def test_agreed_split_needs_an_agreement(self):
        cost_model = _create(make_partnership(2))
        with pytest.raises(DomainError) as raised:
            services.risk_scenario_create(
                cost_model=cost_model, name="X", split_basis="agreed", rule="proportional",
                estimates=[services.EstimateSpec("CRM", Decimal(0), Decimal(5), Decimal(10))], actor=None,
            )  # fmt: skip
        assert raised.value.code == "sharing.no_agreement"
