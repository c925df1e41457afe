"""The services a resident can report here, their own questions (Open311 attributes), and checks.

Pure Python. Service codes are LGSL codes (as strings, as Open311 has them). Each attribute
follows the Open311 Service Definition: variable, code, datatype (string, number, datetime,
text, singlevaluelist, multivaluelist), required, datatype_description, order, description,
values [{key, name}].
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Attribute:
    code: str
    description: str
    datatype: str
    required: bool
    values: tuple[tuple[str, str], ...] = ()
    datatype_description: str = ""
    order: int = 1
    variable: bool = True


@dataclass(frozen=True)
class Reportable:
    lgsl_code: int
    name: str  # everyday name: "Missed bin collection"
    description: str
    group: str
    keywords: tuple[str, ...]
    attributes: tuple[Attribute, ...] = ()

    @property
    def service_code(self) -> str:
        return str(self.lgsl_code)


_BIN = (
    ("general", "General rubbish"),
    ("recycling", "Recycling"),
    ("garden", "Garden waste"),
    ("food", "Food waste"),
)

REPORTABLE: dict[int, Reportable] = {
    r.lgsl_code: r
    for r in (
        Reportable(
            524,
            "Missed bin collection",
            "A bin that was not emptied on collection day.",
            "Bins and recycling",
            ("bins", "rubbish", "missed bin"),
            (
                Attribute(
                    "bin_type", "Which bin was missed?", "singlevaluelist", True, _BIN, order=1
                ),
                Attribute(
                    "collection_date",
                    "When should it have been collected?",
                    "datetime",
                    False,
                    datatype_description="A date, such as 2026-11-25",
                    order=2,
                ),
            ),
        ),
        Reportable(
            533,
            "Recycling collection problem",
            "Recycling not collected, or a box or bag needed.",
            "Bins and recycling",
            ("recycling",),
            (
                Attribute(
                    "problem",
                    "What is the problem?",
                    "singlevaluelist",
                    True,
                    (("missed", "Not collected"), ("container", "Need a new box or bag")),
                    order=1,
                ),
            ),
        ),
        Reportable(
            557,
            "Pothole",
            "A hole or damage in a road surface.",
            "Roads and pavements",
            ("pothole", "road repair"),
            (
                Attribute(
                    "size",
                    "About how big is it?",
                    "singlevaluelist",
                    True,
                    (
                        ("small", "Smaller than a dinner plate"),
                        ("medium", "Up to a dustbin lid"),
                        ("large", "Bigger than a dustbin lid"),
                    ),
                    order=1,
                ),
                Attribute(
                    "depth_cm",
                    "About how deep is it, in centimetres?",
                    "number",
                    False,
                    datatype_description="A whole number of centimetres, 0 to 100",
                    order=2,
                ),
            ),
        ),
        Reportable(
            537,
            "Pavement problem",
            "A broken, uneven or blocked pavement.",
            "Roads and pavements",
            ("pavement",),
        ),
        Reportable(
            564,
            "Street light not working",
            "A street light that is out, flickering or damaged.",
            "Roads and pavements",
            ("street light", "lamp post"),
            (
                Attribute(
                    "fault",
                    "What is wrong with it?",
                    "singlevaluelist",
                    True,
                    (
                        ("out", "Not working at all"),
                        ("day", "On during the day"),
                        ("flicker", "Flickering"),
                        ("damaged", "Damaged"),
                    ),
                    order=1,
                ),
                Attribute(
                    "column_number",
                    "The number on the lamp post, if you can see it",
                    "string",
                    False,
                    order=2,
                ),
            ),
        ),
        Reportable(
            555,
            "Flooded road",
            "Water across a road.",
            "Roads and pavements",
            ("flooding",),
        ),
        Reportable(
            587,
            "Fly-tipping",
            "Rubbish dumped illegally.",
            "Street cleaning",
            ("fly tipping", "dumped rubbish"),
            (
                Attribute(
                    "amount",
                    "How much has been dumped?",
                    "singlevaluelist",
                    True,
                    (
                        ("bag", "A bag or two"),
                        ("car", "A car boot load"),
                        ("van", "A van load or more"),
                    ),
                    order=1,
                ),
                Attribute(
                    "waste_types",
                    "What kind of waste is it?",
                    "multivaluelist",
                    False,
                    (
                        ("household", "Household rubbish"),
                        ("building", "Building waste"),
                        ("garden", "Garden waste"),
                        ("hazardous", "Chemicals or asbestos"),
                    ),
                    order=2,
                ),
            ),
        ),
        Reportable(
            584, "Graffiti", "Graffiti on a public place.", "Street cleaning", ("graffiti",)
        ),
        Reportable(
            577, "Dog fouling", "Dog mess in a public place.", "Street cleaning", ("dog poo",)
        ),
        Reportable(
            580,
            "Litter or street cleaning",
            "A street that needs cleaning.",
            "Street cleaning",
            ("litter",),
        ),
        Reportable(
            372,
            "Abandoned vehicle",
            "A vehicle that seems to have been left.",
            "Street cleaning",
            ("abandoned car",),
            (
                Attribute(
                    "registration", "The registration number, if you know it", "string", False
                ),
            ),
        ),
        Reportable(
            576,
            "Dead animal",
            "A dead animal on a road or pavement.",
            "Street cleaning",
            ("dead animal",),
        ),
        Reportable(
            664, "Blocked drain", "A blocked drain or gully.", "Roads and pavements", ("drain",)
        ),
    )
}


class AttributeError_(ValueError):
    def __init__(self, code: str, message: str, field: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


MAX_ATTRIBUTE_LENGTH = 200


def clean_attributes(service: Reportable, raw: dict[str, list[str]]) -> dict[str, object]:
    """The service's answers, checked: required ones present, list keys known, numbers finite.

    ``raw`` maps attribute code -> the submitted values (a list: multivaluelists repeat).
    Raises AttributeError_ naming the attribute.
    """
    known = {a.code: a for a in service.attributes}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise AttributeError_(
            "attribute_unknown",
            f"{service.name} has no question called “{unknown[0]}”",
            f"attribute[{unknown[0]}]",
        )
    cleaned: dict[str, object] = {}
    for attribute in sorted(service.attributes, key=lambda a: a.order):
        values = [v.strip() for v in raw.get(attribute.code, []) if v and v.strip()]
        field = f"attribute[{attribute.code}]"
        if not values:
            if attribute.required:
                raise AttributeError_(
                    "attribute_required", f"Answer “{attribute.description}”", field
                )
            continue
        if any(len(v) > MAX_ATTRIBUTE_LENGTH for v in values):
            raise AttributeError_(
                "attribute_too_long",
                f"“{attribute.description}”: {MAX_ATTRIBUTE_LENGTH} characters or fewer",
                field,
            )
        keys = {k for k, _ in attribute.values}
        if attribute.datatype == "singlevaluelist":
            if len(values) > 1 or values[0] not in keys:
                raise AttributeError_(
                    "attribute_invalid", f"Choose one answer to “{attribute.description}”", field
                )
            cleaned[attribute.code] = values[0]
        elif attribute.datatype == "multivaluelist":
            if any(v not in keys for v in values):
                raise AttributeError_(
                    "attribute_invalid",
                    f"Choose from the answers to “{attribute.description}”",
                    field,
                )
            cleaned[attribute.code] = sorted(set(values))
        elif attribute.datatype == "number":
            try:
                number = float(values[0])
            except ValueError:
                number = math.nan
            if not math.isfinite(number) or not 0 <= number <= 100:
                raise AttributeError_(
                    "attribute_invalid",
                    f"“{attribute.description}”: {attribute.datatype_description}",
                    field,
                )
            cleaned[attribute.code] = number
        else:
            cleaned[attribute.code] = values[0]
    return cleaned
