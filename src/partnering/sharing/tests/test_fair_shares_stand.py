"""Fair shares a page can stand behind (issue 8 part 2) and a new member's starting figures
decided in one place (issue 7 part 6)."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from partnering.core.errors import DomainError
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.services import membership_add
from partnering.sharing import engine, services
from partnering.sharing.errors import SharingError as E
from partnering.sharing.models import ComponentKind, CostModel, CurveType, ShareCalculation
from partnering.sharing.tests.factories import make_partnership, spec_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def joined(client):
    """A calculated first version, then a company (no population) joins: version 2."""
    own = OrganisationFactory()
    partnership = make_partnership(3, lead=own)
    services.cost_model_create(partnership=partnership, spec=spec_for(partnership), actor=None)
    company = OrganisationFactory(company=True, name="Agile Systems Ltd", short_name="Agile")
    membership_add(partnership=partnership, organisation=company, role="private_partner",
                   joined_on=date(2004, 9, 1), actor=None)  # fmt: skip
    client.force_login(UserFactory(username="j-own", organisations=[own]))
    return client, partnership, company, CostModel.objects.get(partnership=partnership, version=2)


# --- a new member's figures are never silently zero ---------------------------------------------


def test_a_new_members_figures_start_missing_and_are_flagged(joined):
    _, _, company, version = joined
    missing = services.missing_in_version(version)
    assert [m.name for m in missing] == ["Agile"]
    assert set(missing[0].what) == {"Own back office", "Shared CRM", "Data centre", "population"}
    assert not ShareCalculation.objects.filter(cost_model=version).exists()
    values = version.components.first().values.filter(member__organisation=company)
    assert [v.value for v in values] == [None]


def test_the_shares_page_says_so_at_the_top_and_shows_no_shares(joined):
    client, partnership, _, _ = joined
    html = client.get(reverse("sharing:shares", args=[partnership.slug, 2])).content.decode()
    assert "Figures missing for Agile" in html
    assert html.index("Figures missing for Agile") < html.index("Why this version")
    assert "Every method side by side" not in html
    assert reverse("sharing:figures-edit", args=[partnership.slug, 2]) in html


def test_a_version_with_missing_figures_cannot_be_calculated_or_agreed(joined):
    client, partnership, _, version = joined
    with pytest.raises(DomainError) as refused:
        services.calculation_request(cost_model=version, actor=None)
    assert refused.value.code == E.FIGURES_MISSING and "Agile" in refused.value.message
    with pytest.raises(DomainError) as not_agreed:
        services.agreement_record(cost_model=version, method="shapley", agreed_on=date(2004, 9, 2),
                                  reason="Board", actor=None)  # fmt: skip
    assert not_agreed.value.code == E.FIGURES_MISSING
    page = client.get(reverse("sharing:agreement-create", args=[partnership.slug, 2]))
    assert "Figures missing for Agile" in page.content.decode()
    assert 'name="method"' not in page.content.decode()
    response = client.post(reverse("sharing:calculate", args=[partnership.slug, 2]))
    assert response.status_code == 302
    assert response["Location"] == reverse("sharing:figures-edit", args=[partnership.slug, 2])


def test_the_join_flow_leads_to_entering_them(joined):
    client, partnership, _, _ = joined
    html = client.get(partnership.get_absolute_url()).content.decode()
    assert "no figures yet for Agile" in html
    assert reverse("sharing:figures-edit", args=[partnership.slug, 2]) in html


def test_entering_the_figures_calculates_the_version(joined):
    client, partnership, company, version = joined
    data = {}
    for member in version.members.all():
        data[f"weight_{member.organisation_id}"] = "0" if member.organisation == company else "1000"
        for index, component in enumerate(version.components.all()):
            current = component.values.get(member=member).value
            data[f"value_{index}_{member.organisation_id}"] = str(current or 5000)
    response = client.post(reverse("sharing:figures-edit", args=[partnership.slug, 2]), data)
    assert response.status_code == 302
    assert services.missing_in_version(version) == []
    assert ShareCalculation.objects.get(cost_model=version).is_done


# --- all-zero figures are refused -----------------------------------------------------------------


def test_all_zero_figures_are_refused_before_calculating():
    partnership = make_partnership(2)
    spec = spec_for(partnership)
    for component in spec.components:
        component.values = dict.fromkeys(component.values, Decimal(0))
    with pytest.raises(DomainError) as refused:
        services.cost_model_create(partnership=partnership, spec=spec, actor=None)
    assert refused.value.code == E.ALL_ZERO
    assert not CostModel.objects.exists()


# --- no demand, no need -------------------------------------------------------------------------


def _pooled(needed_by_all=False):
    return services.ComponentSpec(
        kind=ComponentKind.POOLED, name="CRM", values={1: Decimal(100), 2: Decimal(0)},
        fixed_cost=Decimal(1000), curve_type=CurveType.POWER, curve_scale=Decimal(1),
        curve_exponent=Decimal("0.5"), needed_by_all=needed_by_all,
    )  # fmt: skip


def test_a_member_with_no_demand_alone_pays_nothing_for_the_service():
    data = engine.GameData(players=["A", "B"], components=[_pooled().keyed_by({1: "A", 2: "B"})],
                           weights={}, basis="standalone")  # fmt: skip
    game = engine.load(data)
    assert game.standalone_costs["B"] == 0
    assert game.standalone_costs["A"] == pytest.approx(1010)


def test_unless_the_model_says_every_member_needs_it():
    data = engine.GameData(players=["A", "B"],
                           components=[_pooled(True).keyed_by({1: "A", 2: "B"})],
                           weights={}, basis="standalone")  # fmt: skip
    assert engine.load(data).standalone_costs["B"] == pytest.approx(1000)


def test_the_page_explains_who_shares_a_fixed_cost(client):
    partnership = make_partnership(3)
    spec = spec_for(partnership)
    crm = spec.components[1]
    crm.values[next(iter(crm.values))] = Decimal(0)
    services.cost_model_create(partnership=partnership, spec=spec, actor=None)
    html = client.get(reverse("sharing:shares", args=[partnership.slug, 1])).content.decode()
    assert "shared by the 2 members who use it" in html


# --- a proportional split on a measure someone lacks ----------------------------------------------


def test_proportional_on_a_missing_measure_warns_who_pays_nothing_and_why(client):
    partnership = make_partnership(3)
    spec = spec_for(partnership)
    spec.members[0].weight = Decimal(0)
    services.cost_model_create(partnership=partnership, spec=spec, actor=None)
    cost_model = CostModel.objects.get(partnership=partnership)
    name = cost_model.members.get(organisation=spec.members[0].organisation).player_name
    html = client.get(reverse("sharing:shares", args=[partnership.slug, 1])).content.decode()
    assert f"Under the proportional split {name} pays nothing" in html
    assert "because the split follows population and theirs is zero" in html


# --- a new member's starting figures, decided in one place ------------------------------------------


def test_starting_figures_are_decided_in_one_place():
    council = OrganisationFactory(population=98_000)
    company = OrganisationFactory(company=True, population=None)
    assert services.starting_weight(council) == Decimal(98_000)
    assert services.starting_weight(company) is None
    assert services.starting_weight(company, Decimal(7)) == Decimal(7)
    assert services.starting_value() is None


def test_the_page_and_the_api_start_a_member_the_same_way(client, staff_user):
    company = OrganisationFactory(company=True, population=None)
    partnership = make_partnership(lead=OrganisationFactory(population=50_000), members=[company])
    client.force_login(staff_user)
    response = client.post(reverse("sharing:cost-model-create", args=[partnership.slug]), {
        "title": "Shared ICT", "effective_on": "2002-06-01", "proportional_basis": "weights",
        "weight_measure": "population", "components-TOTAL_FORMS": "1",
        "components-INITIAL_FORMS": "0", "components-MIN_NUM_FORMS": "0",
        "components-MAX_NUM_FORMS": "20", "components-0-name": "Own back office",
        "components-0-kind": "standalone",
    })  # fmt: skip
    assert response.status_code == 302
    weights = {m.organisation_id: m.weight for m in CostModel.objects.get().members.all()}
    assert weights[company.pk] is None
    assert [m.name for m in services.missing_in_version(CostModel.objects.get())] != []


# --- the page leads with the decision --------------------------------------------------------------


def test_the_shares_page_leads_with_the_decision(client):
    partnership = make_partnership(3)
    cost_model = services.cost_model_create(
        partnership=partnership, spec=spec_for(partnership), actor=None
    )
    services.agreement_record(cost_model=cost_model, method="equal", agreed_on=date(2002, 7, 1),
                              reason="Simple", actor=None)  # fmt: skip
    html = client.get(reverse("sharing:shares", args=[partnership.slug, 1])).content.decode()
    assert "Methods that keep every member better off than going alone (in the core):" in html
    assert "Recommended: <strong>the Shapley value</strong>, because it is in the core" in html
    assert html.index('id="decision"') < html.index("What each member pays a year under each")
    assert "Every member pays the same, whatever it uses" in html
    assert 'class="govuk-details"' in html
    assert "is outside the core" not in html  # the equal split of these figures is in it
    from partnering.sharing.models import ShareAgreement

    ShareAgreement.objects.filter(cost_model=cost_model).update(
        in_core=False, worst_coalition=["Alpha", "Beta"], max_excess=Decimal(1500)
    )
    html = client.get(reverse("sharing:shares", args=[partnership.slug, 1])).content.decode()
    assert "The agreed split (Equal split) is outside the core: Alpha + Beta would pay £1,500" in (
        html
    )


#: What the page says each method does, in one line (issue 8 part 2: "each method explained in
#: one line next to the table"), written out here so a changed or lost line fails the test.
EVERY_METHOD_IN_ONE_LINE = {
    "Equal split": "Every member pays the same, whatever it uses or would spend alone.",
    "Proportional split": "Each member pays in proportion to one measure (such as population).",
    "SCRB (separable costs, remaining benefits)": (
        "Each member pays what it alone adds, and the rest is split by what it would save."
    ),
    "Shapley value": (
        "Each member pays its average extra cost over every order the members could join in."
    ),
    "Nucleolus": "The split that leaves the worst-off group of members as well off as possible.",
    "Least core": "The split that keeps the largest gain any group could make by leaving smallest.",
}


def test_every_method_is_explained_in_one_line_next_to_the_table(client):
    partnership = make_partnership(3)
    services.cost_model_create(partnership=partnership, spec=spec_for(partnership), actor=None)
    html = client.get(reverse("sharing:shares", args=[partnership.slug, 1])).content.decode()
    # Between the decision and the table's caption: the list of methods, one line each.
    beside = html[
        html.index('id="decision"') : html.index("What each member pays a year under each")
    ]
    items = re.findall(r"<li><strong>(.*?)</strong>: (.*?)</li>", beside)
    explained = {unescape(label): unescape(line) for label, line in items}
    assert explained == EVERY_METHOD_IN_ONE_LINE
    # Every method the engine offers has its line (a method added later needs one too).
    assert set(explained) == {engine.METHOD_LABELS[m] for m in engine.METHODS}
    for line in explained.values():
        assert line.count(". ") == 0 and line.endswith(".")  # one sentence, one line


def test_the_agreement_form_shows_each_methods_amounts(client, staff_user):
    partnership = make_partnership(2)
    services.cost_model_create(partnership=partnership, spec=spec_for(partnership), actor=None)
    client.force_login(staff_user)
    html = client.get(
        reverse("sharing:agreement-create", args=[partnership.slug, 1])
    ).content.decode()
    calculation = CostModel.objects.get(partnership=partnership).calculation
    name = calculation.players[0]["name"]
    share = calculation.results["shapley"]["shares"][name]
    assert f"Shapley value: {name} {engine.format_gbp(share)}" in html


def test_the_chart_shows_values_and_an_axis_in_a_focusable_region(client):
    partnership = make_partnership(2)
    services.cost_model_create(partnership=partnership, spec=spec_for(partnership), actor=None)
    html = client.get(reverse("sharing:shares", args=[partnership.slug, 1])).content.decode()
    chart = html[html.index('class="app-chart-wrapper"') : html.index("</svg>")]
    assert 'tabindex="0"' in chart and 'role="region"' in chart
    assert 'class="app-chart__axis"' in chart
    assert chart.count('class="app-chart__value"') >= 2 * 6 + 2
    assert "£0" in chart
