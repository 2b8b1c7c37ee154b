"""Everything from outside re-validated: the kiosk's own filing rules, sane dates, bounded input.

Posted envelopes and scanned paper both pass through :func:`checked_filing` before anything is
stored or shown: the filing must parse, its dates must lie in a range a city hall can mean, and
the kiosk's validation (``kiosk.forms.validation`` — the one shared implementation) must find no
error. Hostile input (depth bombs, dates at the ends of the calendar) becomes a typed 4xx error,
never an exception the web layer answers with 500.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from kiosk.forms.codec import filing_from_json
from kiosk.forms.errors import FormsError
from kiosk.forms.model import Filing
from kiosk.forms.validation import Severity, validate
from server_sync.intake.errors import BadFilingError, IntakeError

#: earliest and latest created_at the intake accepts from anywhere (kiosks did not exist before)
SANE_FROM = datetime(2020, 1, 1, tzinfo=UTC)
#: how far past the intake's clock a scanned paper may claim to have been made
SANE_FUTURE = timedelta(days=1)
#: the oldest birth date or move date a filing may carry
SANE_FIRST_DAY = date(1880, 1, 1)
#: the latest date a filing may name (the intake's date plus this, e.g. a planned 転出)
SANE_DAYS_AHEAD = timedelta(days=366)
#: the ward's calendar (validation's "today")
WARD_TZ = timezone(timedelta(hours=9), "JST")


class FilingInvalidError(IntakeError):
    """The filing parses but breaks the kiosk's own validation rules (codes in the detail)."""

    code = "filing_invalid"
    status = 422


class FilingDateError(IntakeError):
    """A date or time of the filing lies outside the range the intake accepts."""

    code = "filing_date_out_of_range"
    status = 422


class FilingTooDeepError(IntakeError):
    """The filing JSON nests too deeply to parse (a depth bomb)."""

    code = "filing_too_deep"
    status = 422


def parse_filing_bytes(data: bytes | str) -> Filing:
    """The filing of ``data``; every failure (even RecursionError, OverflowError) is a 422."""
    try:
        return filing_from_json(data)
    except RecursionError as err:
        raise FilingTooDeepError("filing JSON nests too deeply") from err
    except OverflowError as err:
        raise FilingDateError("a date of the filing is outside the calendar") from err
    except FormsError as err:
        raise BadFilingError(f"filing does not parse: {err.code}") from err
    except ValueError as err:  # model validation outside the codec's own checks
        raise BadFilingError("filing does not parse") from err


def check_moment(moment: datetime, now: datetime) -> None:
    """Refuse a created_at before the kiosks existed or after tomorrow (422)."""
    try:
        utc = moment.astimezone(UTC)
    except (OverflowError, ValueError) as err:
        raise FilingDateError("created_at is outside the calendar") from err
    if not SANE_FROM <= utc <= now.astimezone(UTC) + SANE_FUTURE:
        raise FilingDateError("created_at is outside the accepted range")


def check_dates(filing: Filing, now: datetime) -> None:
    """Every date of the filing in [1880-01-01, today + 1 year] and its created_at sane."""
    check_moment(filing.created_at, now)
    last = now.astimezone(WARD_TZ).date() + SANE_DAYS_AHEAD
    days = [filing.notified_on, filing.moved_on, *(m.birth_date for m in filing.members)]
    for day in days:
        if not SANE_FIRST_DAY <= day <= last:
            raise FilingDateError("a date of the filing is outside the accepted range")


def ward_today(filing: Filing, now: datetime) -> date:
    """Validation's "today": the later of the intake's date and the filing's own (Japan time)."""
    return max(now.astimezone(WARD_TZ).date(), filing.created_at.astimezone(WARD_TZ).date())


def check_rules(filing: Filing, now: datetime) -> None:
    """Run the kiosk's validation; any error finding refuses the filing (codes, no data)."""
    errors = sorted(
        {
            f.code
            for f in validate(filing, None, today=ward_today(filing, now))
            if f.severity is Severity.ERROR
        }
    )
    if errors:
        raise FilingInvalidError("filing fails validation: " + ", ".join(errors))


def checked_filing(data: bytes | str, now: datetime) -> Filing:
    """Parse, range-check and validate filing bytes from outside (typed 422 on any problem)."""
    filing = parse_filing_bytes(data)
    check_dates(filing, now)
    check_rules(filing, now)
    return filing
