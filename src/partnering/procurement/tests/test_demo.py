"""The demo: North Yorkshire's 2004 competitive dialogue with Agilisys, Worcestershire's options
appraisal with the shared service costed from its cost model, and an exempt shared service."""

import json

import pytest
from django.core.management import call_command

from partnering.procurement import ocds, selectors
from partnering.procurement.models import Appraisal, Procurement
from partnering.sharing.selectors import calculation_of

from .test_ocds import PREFIX, validate

pytestmark = pytest.mark.django_db


def test_demo_procurements_appraisal_and_exempt_arrangement(settings, tmp_path, client):
    settings.OCDS_OCID_PREFIX = PREFIX
    call_command("load_demo")
    call_command("load_demo")  # idempotent
    ny = Procurement.objects.get(partnership__slug="north-yorkshire-ict-partnership")
    assert ny.route == "pcr_dialogue" and ny.is_illustrative
    assert ny.award.supplier.name == "Agilisys"
    assert (ny.contract.starts_on.year, ny.contract.ends_on.year) == (2004, 2014)
    assert {o.name for o in ny.other_buyers.all()} == {"Hambleton District Council"}
    assert ny.bidders.count() == 3
    assert ny.contract.arrangement.kpis.get().values.count() == 4

    worcs = Appraisal.objects.get(partnership__slug="worcestershire-partnership")
    shared = worcs.options.get(kind="shared_service")
    calc = calculation_of(shared.cost_model)
    assert shared.annual_cost == calc.grand_cost and "illustrative" in shared.cost_source
    assert worcs.recommended == shared and worcs.is_illustrative
    results = selectors.appraisal_results(selectors.appraisal_get(worcs.partnership, worcs.pk))
    assert results.leader is not None and results.leader.option == shared
    assert len(results.sensitivity) == 5

    exempt = Procurement.objects.get(route="exempt_horizontal")
    record = ocds.record(exempt)["compiledRelease"]
    assert record["tender"]["procurementMethod"] == "direct"

    procs = list(Procurement.objects.all())
    releases = [ocds.release_json(r, p.process_id) for p in procs for r in p.releases.all()]
    validate(tmp_path, ocds.release_package("http://testserver/open-data/ocds/releases.json",
                                            releases))  # fmt: skip
    validate(tmp_path, ocds.record_package("http://testserver/open-data/ocds/", procs))
    body = b"".join(client.get("/open-data/ocds/releases.json").streaming_content)
    assert len(json.loads(body)["releases"]) == len(releases)
