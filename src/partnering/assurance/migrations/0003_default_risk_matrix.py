from django.db import migrations

DEFAULT = {
    "programme": "Strategic Partnering Taskforce",
    "version": 1,
    "likelihood_labels": ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"],
    "impact_labels": ["Minimal", "Minor", "Moderate", "Major", "Severe"],
    "bands": [[1, "Low", "green"], [5, "Medium", "yellow"], [10, "High", "orange"],
              [15, "Very high", "red"]],  # fmt: skip
    "tolerance": 12,
}


def create(apps, schema_editor):
    RiskMatrix = apps.get_model("assurance", "RiskMatrix")
    HistoricalRiskMatrix = apps.get_model("assurance", "HistoricalRiskMatrix")
    if RiskMatrix.objects.filter(programme=DEFAULT["programme"]).exists():
        return
    matrix = RiskMatrix.objects.create(**DEFAULT)
    HistoricalRiskMatrix.objects.create(
        id=matrix.pk, created_at=matrix.created_at, history_date=matrix.created_at,
        history_type="+", history_change_reason="The programme's first risk matrix", **DEFAULT,
    )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("assurance", "0002_risk_registers")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
