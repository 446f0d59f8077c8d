"""The URL is the view: defaults for anything unreadable, a look-back only to past months,
and parameters that reproduce the state."""

from __future__ import annotations

from datetime import date

import pytest

from cockpit.screen_model import as_of_today
from cockpit.view_state import MIN_ROTATE_SECONDS, ViewState, month_choices, read_view_state
from indicators.periods import Period
from indicators.registry import Catalog

TODAY = date(2026, 11, 25)


def test_defaults_are_the_live_city_view_in_chinese(tiny_catalog: Catalog) -> None:
    assert read_view_state({}, tiny_catalog, TODAY) == ViewState()
    assert ViewState().query_params() == {}


def test_a_kiosk_url_round_trips(tiny_catalog: Catalog) -> None:
    params = {
        "lang": "en",
        "area": "east",
        "asof": "2026-09",
        "kiosk": "1",
        "rotate": "30",
        "map": "T_PM25",
    }
    state = read_view_state(params, tiny_catalog, TODAY)
    assert state == ViewState("en", "east", Period.parse("2026-09"), True, 30, "T_PM25")
    assert state.query_params() == params


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"lang": "fr"}, ViewState()),
        ({"area": "nowhere"}, ViewState()),
        ({"area": "city"}, ViewState()),  # the city is the default, not a choice
        ({"area": "东区"}, ViewState(area="east")),  # names work too
        ({"asof": "2026-10"}, ViewState()),  # the latest month is the live view
        ({"asof": "2026-11"}, ViewState()),  # not over yet
        ({"asof": "2026Q3"}, ViewState()),
        ({"asof": "garbage"}, ViewState()),
        ({"period": "2026-09"}, ViewState()),  # a figure's period is not a look-back
        ({"rotate": "30"}, ViewState()),  # rotation only in kiosk mode
        ({"kiosk": "1", "rotate": "2"}, ViewState(kiosk=True, rotate=MIN_ROTATE_SECONDS)),
        ({"kiosk": "1", "rotate": "x"}, ViewState(kiosk=True)),
        ({"map": "NOT_A_CODE"}, ViewState()),
    ],
)
def test_unreadable_parameters_fall_back(
    tiny_catalog: Catalog, params: dict[str, str], expected: ViewState
) -> None:
    assert read_view_state(params, tiny_catalog, TODAY) == expected


def test_look_back_months_and_their_day() -> None:
    months = month_choices(TODAY)
    assert months[0] == Period.parse("2026-09") and months[-1] == Period.parse("2024-11")
    # Looking back at September shows what was complete on 1 October.
    assert as_of_today(Period.parse("2026-09"), TODAY) == date(2026, 10, 1)
    assert as_of_today(None, TODAY) == TODAY
