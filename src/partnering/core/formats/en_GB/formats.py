"""GOV.UK's date style wherever a date is shown without an explicit format: "1 June 2002"
(the GOV.UK style guide: no abbreviated months), times "1 June 2002, 14:05"."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
