"""GOV.UK's date style wherever a date is shown without an explicit format: "1 June 2002"
(the GOV.UK style guide: no abbreviated months). Times are written by ``partnering.core.dates``
("1 June 2002 at 2:30pm", the ``govuk_datetime`` filter): Django's formats cannot write "pm"
without dots or "midday"; no template prints a date and time unformatted."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
