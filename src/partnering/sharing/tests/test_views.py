"""Pages of the sharing room: forms without JavaScript, errors in a GOV.UK summary, stored results."""

from datetime import date

import pytest
from django.urls import reverse

from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.sharing import engine, services
from partnering.sharing.models import CostModel, ShareAgreement
from partnering.sharing.tests.factories import make_partnership, spec_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client):
    own = OrganisationFactory()
    partnership = make_partnership(3, lead=own)
    client.force_login(UserFactory(username="v-own", organisations=[own]))
    return client, partnership


def _components_post(**extra):
    data = {
        "title": "Shared ICT", "effective_on": "2002-06-01", "demand_measure": "transactions",
        "proportional_basis": "weights", "weight_measure": "population", "is_illustrative": "on",
        "components-TOTAL_FORMS": "2", "components-INITIAL_FORMS": "0",
        "components-MIN_NUM_FORMS": "0", "components-MAX_NUM_FORMS": "20",
        "components-0-name": "Own back office", "components-0-kind": "standalone",
        "components-1-name": "Shared CRM", "components-1-kind": "pooled",
        "components-1-fixed_cost": "100000", "components-1-curve_type": "power",
        "components-1-curve_scale": "50", "components-1-curve_exponent": "0.7",
    }  # fmt: skip
    data.update(extra)
    return data


def test_set_up_enter_figures_and_agree(member_client):
    client, partnership = member_client
    response = client.post(
        reverse("sharing:cost-model-create", args=[partnership.slug]), _components_post()
    )
    assert response.status_code == 302
    cost_model = CostModel.objects.get(partnership=partnership)
    members = list(cost_model.members.all())
    figures = {}
    for i, m in enumerate(members):
        figures[f"weight_{m.organisation_id}"] = str(50_000 + i)
        figures[f"value_0_{m.organisation_id}"] = str(100_000 * (i + 1))
        figures[f"value_1_{m.organisation_id}"] = str(20_000 * (i + 1))
    response = client.post(reverse("sharing:figures-edit", args=[partnership.slug, 1]), figures)
    assert response.status_code == 302
    page = client.get(reverse("sharing:shares", args=[partnership.slug, 1]))
    content = page.content.decode()
    assert "Illustrative figures, not the partnership's real costs" in content
    assert 'role="img"' in content and "Every method side by side" in content
    response = client.post(reverse("sharing:agreement-create", args=[partnership.slug, 1]),
                           {"method": "shapley", "agreed_on": "2002-07-01", "reason": "Board minute 12"})  # fmt: skip
    assert response.status_code == 302
    agreement = ShareAgreement.objects.get()
    assert agreement.method == "shapley" and agreement.agreed_by.username == "v-own"


def test_negative_figure_shows_the_error_summary_and_saves_nothing(member_client):
    client, partnership = member_client
    cost_model = services.cost_model_create(
        partnership=partnership, spec=spec_for(partnership), actor=None
    )
    member = cost_model.members.first()
    before = cost_model.inputs_hash
    data = {}
    for m in cost_model.members.all():
        data[f"weight_{m.organisation_id}"] = "1000"
        for i in range(3):
            data[f"value_{i}_{m.organisation_id}"] = "1000"
    data[f"value_0_{member.organisation_id}"] = "-5"
    response = client.post(reverse("sharing:figures-edit", args=[partnership.slug, 1]), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content and "cannot be negative" in content
    assert f'href="#id_value_0_{member.organisation_id}"' in content
    assert "<title>Error: " in content
    cost_model.refresh_from_db()
    assert cost_model.inputs_hash == before


def test_a_model_the_engine_rejects_is_shown_with_its_message(member_client):
    client, partnership = member_client
    response = client.post(reverse("sharing:cost-model-create", args=[partnership.slug]),
                           _components_post(**{"components-1-curve_exponent": "1.5"}))  # fmt: skip
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content and "concave" in content
    assert not CostModel.objects.exists()


def test_missing_pooled_curve_is_a_form_error(member_client):
    client, partnership = member_client
    response = client.post(reverse("sharing:cost-model-create", args=[partnership.slug]),
                           _components_post(**{"components-1-curve_type": ""}))  # fmt: skip
    assert "Choose how the cost of a pooled service grows with demand" in response.content.decode()
    assert not CostModel.objects.exists()


def test_shares_page_reads_stored_results_without_the_engine(client, monkeypatch):
    partnership = make_partnership(9)
    services.cost_model_create(partnership=partnership, spec=spec_for(partnership), actor=None)

    def boom(*args, **kwargs):
        raise AssertionError("the engine ran on GET")

    monkeypatch.setattr(engine, "compute", boom)
    monkeypatch.setattr(engine.fairshare, "solve", boom)
    response = client.get(reverse("sharing:shares", args=[partnership.slug, 1]))
    assert response.status_code == 200
    assert "Would anyone do better alone?" in response.content.decode()


def test_pending_calculation_shows_progress_without_meta_refresh(client):
    """axe (critical): no <meta refresh>; a link to refresh, and core/poll.mjs polls with JS."""
    partnership = make_partnership(2)
    cost_model = services.cost_model_create(
        partnership=partnership, spec=spec_for(partnership), calculate=False, actor=None
    )
    services.calculation_request(cost_model=cost_model, actor=None, background=True)
    content = client.get(reverse("sharing:shares", args=[partnership.slug, 1])).content.decode()
    assert "Calculating…" in content
    assert "http-equiv" not in content
    assert "Refresh the page</a> to see the shares" in content
    assert "data-app-poll-until-gone" in content


def test_downloads_are_csv_and_xlsx(client):
    partnership = make_partnership(3)
    services.cost_model_create(partnership=partnership, spec=spec_for(partnership), actor=None)
    csv = client.get(reverse("sharing:download", args=[partnership.slug, 1, "savings", "csv"]))
    body = b"".join(csv.streaming_content).decode()
    assert body.splitlines()[0].startswith("member,method,stand-alone cost")
    assert len(body.splitlines()) == 1 + 3 * 6
    xlsx = client.get(reverse("sharing:download", args=[partnership.slug, 1, "methods", "xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        client.get(
            reverse("sharing:download", args=[partnership.slug, 1, "nope", "csv"])
        ).status_code
        == 404
    )


@pytest.mark.parametrize("page", ["sharing:overview", "sharing:agreement-list"])
def test_list_pages_use_constant_queries(client, page):
    def build(n):
        partnership = make_partnership(2)
        for k in range(n):
            cost_model = services.cost_model_create(
                partnership=partnership, spec=spec_for(partnership), actor=None
            )
            services.agreement_record(
                cost_model=cost_model,
                method="equal",
                agreed_on=date(2002, 7, 1),
                reason=f"R{k}",
                actor=None,
            )
        return partnership

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (1, 25):
        partnership = build(n)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(page, args=[partnership.slug])).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


# --- bad input on the risk form never gives a server error (issue 8 part 4) ---------------------


@pytest.mark.parametrize(
    ("band_limit", "band_share", "message"),
    [
        ("0", "50", "The band limit must be more than 0%"),
        ("200", "50", "The band limit must be 100% or less"),
        ("10", "150", "The share must be 100% or less"),
    ],
)
def test_pain_gain_band_out_of_range_is_an_error_not_a_500(
    member_client, band_limit, band_share, message
):
    client, partnership = member_client
    cost_model = services.cost_model_create(
        partnership=partnership, spec=spec_for(partnership), actor=None
    )
    data = {
        "name": "Overrun", "split_basis": "shapley", "rule": "pain_gain", "target": "1000000",
        "band_limit": band_limit, "band_share": band_share,
    }  # fmt: skip
    for index in range(cost_model.components.count()):
        data |= {f"low_{index}": "0", f"likely_{index}": "10", f"high_{index}": "20"}
    response = client.post(reverse("sharing:risk", args=[partnership.slug, 1]), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content and message in content
    assert "%%" not in content


def test_a_percent_sign_in_a_component_name_never_breaks_an_error_message(member_client):
    client, partnership = member_client
    spec = spec_for(partnership)
    spec.components[0].name = "Licences (50% shared)"
    services.cost_model_create(partnership=partnership, spec=spec, actor=None)
    cost_model = CostModel.objects.get(partnership=partnership)
    member = cost_model.members.first()
    response = client.post(
        reverse("sharing:figures-edit", args=[partnership.slug, 1]),
        {f"value_0_{member.organisation_id}": "-5"},
    )
    assert response.status_code == 200
    assert "Licences (50% shared) stand-alone cost (GBP) cannot be negative" in (
        response.content.decode()
    )


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-inf"])
def test_not_a_number_in_a_figure_is_a_clear_error(member_client, value):
    client, partnership = member_client
    spec = spec_for(partnership)
    spec.components[0].name = "Licences (50% shared)"
    services.cost_model_create(partnership=partnership, spec=spec, actor=None)
    member = CostModel.objects.get(partnership=partnership).members.first()
    response = client.post(
        reverse("sharing:figures-edit", args=[partnership.slug, 1]),
        {f"value_0_{member.organisation_id}": value},
    )
    assert response.status_code == 200
    assert "Licences (50% shared) stand-alone cost (GBP) must be a number" in (
        response.content.decode()
    )


def test_fields_of_another_kind_are_dropped_not_refused(member_client):
    """A pooled curve typed in and then hidden by choosing a stand-alone cost is not kept and
    cannot block the save (issue 8 part 9: the form shows only the fields a kind uses)."""
    client, partnership = member_client
    response = client.post(
        reverse("sharing:cost-model-create", args=[partnership.slug]),
        _components_post(
            **{
                "components-0-curve_type": "power",
                "components-0-curve_scale": "not a number",
                "components-0-fixed_cost": "5000",
                "components-1-curve_breaks": "nonsense",
            }
        ),
    )
    assert response.status_code == 302
    own, crm = CostModel.objects.get(partnership=partnership).components.order_by("position")
    assert (own.curve_type, own.curve_scale, own.fixed_cost) == ("", None, 0)
    assert crm.curve_type == "power" and crm.curve_breaks == []


def test_add_another_component_keeps_what_was_typed_and_saves_nothing(member_client):
    client, partnership = member_client
    url = reverse("sharing:cost-model-create", args=[partnership.slug])
    response = client.post(url, _components_post(**{"add_component": "1", "title": ""}))
    assert response.status_code == 200
    assert not CostModel.objects.filter(partnership=partnership).exists()
    html = response.content.decode()
    assert 'name="components-2-name"' in html  # a third, empty component
    assert 'value="Shared CRM"' in html
    assert "There is a problem" not in html  # the empty title is reported on Save, not here
    response = client.post(
        url, _components_post(**{"components-TOTAL_FORMS": "junk", "add_component": "1"})
    )
    assert response.status_code in (200, 400)


def test_a_components_error_names_its_component_in_the_summary(member_client):
    """Issue 8 part 9: component errors name their component."""
    client, partnership = member_client
    response = client.post(
        reverse("sharing:cost-model-create", args=[partnership.slug]),
        _components_post(**{"components-1-curve_scale": ""}),
    )
    html = response.content.decode()
    summary = html.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert "Component 2: Enter the scale of the cost curve" in summary
    assert 'href="#id_components-1-curve_scale"' in summary
    assert not CostModel.objects.filter(partnership=partnership).exists()


def test_a_component_field_that_fails_two_ways_shows_only_its_first_error(member_client):
    """Issue 8 part 9: one error per field. A name over 120 characters fails its length check, and
    the form's clean() then finds no name and adds "Enter a name" to the same field: the summary
    listed both."""
    client, partnership = member_client
    response = client.post(
        reverse("sharing:cost-model-create", args=[partnership.slug]),
        _components_post(**{"components-1-name": "x" * 121}),
    )
    html = response.content.decode()
    summary = html.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert summary.count('href="#id_components-1-name"') == 1
    assert "Enter a name for the component" not in summary
    field = html.split('id="id_components-1-name-error"')[1].split("</p>")[0]
    assert "Enter a name for the component" not in field
    assert html.count('id="id_components-1-name-error"') == 1
    assert not CostModel.objects.filter(partnership=partnership).exists()


@pytest.mark.parametrize(
    ("members_above_threshold", "expected"),
    [
        (False, "Figures saved. Shares calculated"),
        (True, "Figures saved. Calculating the shares in the background: refresh the page"),
    ],
)
def test_saving_figures_says_whether_the_shares_are_ready_or_queued(
    client, monkeypatch, members_above_threshold, expected
):
    """Issue 8 part 1: a 20-member partnership's figures used to be 'saved and shares calculated'
    while its calculation was still waiting for the worker."""
    own = OrganisationFactory()
    partnership = make_partnership(3, lead=own)
    client.force_login(UserFactory(organisations=[own]))
    cost_model = services.cost_model_create(
        partnership=partnership, spec=spec_for(partnership), actor=None
    )
    monkeypatch.setattr(engine, "BACKGROUND_ABOVE_MEMBERS", 2 if members_above_threshold else 12)
    data = {}
    for m in cost_model.members.all():
        data[f"weight_{m.organisation_id}"] = "1000"
        for i in range(3):
            data[f"value_{i}_{m.organisation_id}"] = "1000"
    response = client.post(
        reverse("sharing:figures-edit", args=[partnership.slug, 1]), data, follow=True
    )
    content = response.content.decode()
    assert expected in content
    if members_above_threshold:
        assert "shares calculated" not in content.lower().replace("calculating", "")


def test_the_shares_page_reads_the_figures_once(client):
    """The page's figures table and its "who still has figures to enter" check share one read of
    the members, components and values (each was read twice: 9 queries, now 6)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    partnership = make_partnership(3)
    services.cost_model_create(partnership=partnership, spec=spec_for(partnership), actor=None)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("sharing:shares", args=[partnership.slug, 1]))
    assert response.status_code == 200
    tables = [
        table
        for q in captured.captured_queries
        for table in ("sharing_memberinput", "sharing_costcomponent", "sharing_componentvalue")
        if f'FROM "{table}"' in q["sql"]
    ]
    assert sorted(tables) == [
        "sharing_componentvalue",
        "sharing_costcomponent",
        "sharing_memberinput",
    ]
    assert response.context["missing"] == []


def test_the_shares_page_names_who_has_figures_to_enter(member_client):
    """The shared read still finds a member without figures (``missing_in_version`` given the
    page's inputs table agrees with reading them afresh)."""
    from partnering.sharing.selectors import inputs_table

    partnership = make_partnership(3)
    spec = spec_for(partnership)
    cost_model = services.cost_model_create(
        partnership=partnership, spec=spec, calculate=False, actor=None
    )
    value = cost_model.components.first().values.first()
    value.value = None
    value.save()
    fresh = services.missing_in_version(cost_model)
    assert fresh and services.missing_in_version(cost_model, inputs_table(cost_model)) == fresh
