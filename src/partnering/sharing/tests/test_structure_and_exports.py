"""The sharing room's shape (issue 7 part 6) and its downloads (issue 8 part 11): services by
sub-domain, one component shape, selectors that never raise Http404, typed spreadsheets that say
what they are from."""

import csv
import inspect
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from partnering.sharing import engine, presenters, selectors, services
from partnering.sharing.models import CostModel
from partnering.sharing.tests.factories import make_partnership, spec_for

pytestmark = pytest.mark.django_db


def test_services_are_a_package_by_sub_domain_with_the_old_imports_working():
    from partnering.sharing.services import agreements, calculations, cost_models, risk

    assert services.cost_model_create is cost_models.cost_model_create
    assert services.calculation_request is calculations.calculation_request
    assert services.agreement_record is agreements.agreement_record
    assert services.risk_scenario_create is risk.risk_scenario_create


def test_the_engine_adapter_and_the_services_share_one_component_shape():
    assert services.ComponentSpec is engine.ComponentData
    spec = services.ComponentSpec(kind="standalone", name="Own", values={7: Decimal(5), 8: None})
    keyed = spec.keyed_by({7: "Worcester", 8: "Malvern"})
    assert keyed.values == {"Worcester": Decimal(5), "Malvern": Decimal(0)}
    assert spec.values == {7: Decimal(5), 8: None}


def test_selectors_and_presenters_never_raise_http404():
    for module in (selectors, presenters):
        assert "Http404" not in inspect.getsource(module)
        assert "django.http" not in inspect.getsource(module)
    partnership = make_partnership(2)
    with pytest.raises(CostModel.DoesNotExist):
        selectors.cost_model_get(partnership, 99)


def test_chart_geometry_and_colours_live_in_the_presenter():
    assert hasattr(presenters, "METHOD_COLOURS") and not hasattr(selectors, "METHOD_COLOURS")
    assert not hasattr(selectors, "shares_view")


# --- downloads ----------------------------------------------------------------------------------


@pytest.fixture
def calculated(client):
    partnership = make_partnership(3, name="Wyre Forest and Malvern ICT")
    services.cost_model_create(partnership=partnership, spec=spec_for(partnership), actor=None)
    return partnership


def _sheet(response):
    return load_workbook(io.BytesIO(response.content)).active


def _about_and_table(sheet):
    rows = list(sheet.iter_rows())
    blank = next(i for i, row in enumerate(rows) if all(c.value is None for c in row))
    return rows[:blank], rows[blank + 1 :]


def test_xlsx_cells_are_typed_and_the_file_says_what_it_is_from(client, calculated):
    response = client.get(reverse("sharing:download", args=[calculated.slug, 1, "methods", "xlsx"]))
    about, table = _about_and_table(_sheet(response))
    facts = {row[0].value: row[1].value for row in about}
    assert facts["Partnership"] == "Wyre Forest and Malvern ICT"
    assert facts["Cost model version"].startswith("Version 1")
    assert facts["Figures"] == "Illustrative figures, not the partnership's real costs"
    assert facts["Members as on"].date() == date(2002, 6, 1)
    assert table[0][0].value == "member"
    first = table[1]
    assert isinstance(first[1].value, float) and first[1].number_format.startswith("£#,##0.00")
    shapley = [row[table[0].index(next(c for c in table[0] if c.value == "Shapley value"))].value
               for row in table[1:]]  # fmt: skip
    cost_model = CostModel.objects.get(partnership=calculated)
    assert sum(shapley) == pytest.approx(float(cost_model.calculation.grand_cost), abs=0.05)


def test_csv_keeps_the_header_first_and_says_what_it_is_from_on_every_row(client, calculated):
    response = client.get(reverse("sharing:download", args=[calculated.slug, 1, "methods", "csv"]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 3
    for row in rows:
        assert row["partnership"] == "Wyre Forest and Malvern ICT"
        assert row["cost model version"].startswith("Version 1")
        assert row["figures"].startswith("Illustrative")
        assert row["members as on"] == "2002-06-01"
        whole, pence = row["stand-alone cost"].split(".")
        assert whole.isdigit() and len(pence) == 2


def test_agreements_xlsx_has_dates_as_dates_and_shares_that_sum(client, calculated):
    cost_model = CostModel.objects.get(partnership=calculated)
    services.agreement_record(cost_model=cost_model, method="shapley", agreed_on=date(2002, 7, 1),
                              reason="Board", actor=None)  # fmt: skip
    response = client.get(reverse("sharing:agreement-download", args=[calculated.slug, "xlsx"]))
    about, table = _about_and_table(_sheet(response))
    assert {row[0].value for row in about} >= {"Partnership", "Downloaded on"}
    header = [c.value for c in table[0]]
    agreed_on = table[1][header.index("agreed on")]
    assert agreed_on.is_date and agreed_on.value.date() == date(2002, 7, 1)
    shares = [row[header.index("share (GBP)")].value for row in table[1:]]
    assert all(isinstance(v, (int, float)) for v in shares)
    assert sum(shares) == pytest.approx(float(cost_model.calculation.grand_cost), abs=0.01)
    assert table[1][header.index("figures")].value.startswith("Illustrative")


def test_the_chart_marks_draw_a_bar_per_member_and_method_with_names_escaped():
    from partnering.sharing.presenters import Bar, ChartGroup, chart_marks

    def bars(y):
        return [
            Bar(method=m, label=m.title(), value=v, width=v / 10, y=y + i * 9.0,
                colour="#1d70b8", text=f"£{v:,.0f}")
            for i, (m, v) in enumerate((("equal", 500.0), ("shapley", 1234.5)))
        ]  # fmt: skip

    names = ("Ryedale & Hambleton <District> Councils Together", "Selby")
    groups = [
        ChartGroup(name=n, y=y, label_y=y + 13.0, bars=bars(y))
        for n, y in zip(names, (10.0, 40.0), strict=True)
    ]
    chart = {"groups": groups, "axis_y": 70.0, "axis_end": 650, "label_width": 200,
             "bar_height": 8, "ticks": [{"x": 200.0, "text": "£0"}, {"x": 523.4, "text": "£1,234"}]}  # fmt: skip

    svg = str(chart_marks(chart))

    assert svg.count("<rect ") == 4 and svg.count("<g>") == 2
    assert '<rect x="200" y="19.0" width="123.45" height="8" fill="#1d70b8">' in svg
    assert "<title>Selby, Shapley: £1,234</title>" in svg
    assert 'dx="123.45" y="26">£1,234</text>' in svg  # the value sits 7 below the bar's top
    assert "Ryedale &amp; Hambleton &lt;District&gt; Councils Together, Equal" in svg
    assert ">Ryedale &amp; Hambleton &lt;Dist…</text>" in svg  # the label, cut at 26
    assert "<script" not in svg and "<District>" not in svg
    assert '<line x1="523.4" y1="70.0" x2="523.4" y2="75"' in svg
    assert 'y="88" text-anchor="middle">£1,234</text>' in svg
