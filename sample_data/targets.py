"""What a sample database must reproduce: the model's values over the database's periods.

A database holds every period up to the latest any of its indicators has published, so an
indicator released a day later than its neighbours still gets its value for that period
(the model's deterministic value, published or not). Tables of individual records (work
orders, grid events) hold `volume` times the model's counts: the whole model at full scale,
a twentieth at small scale, so the ratios the catalog computes from them stay the model's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.model import Frequency
from indicators.periods import PANDAS_FREQ
from sample_data.model import CityModel
from sample_data.plan import Scale

VOLUME = {Scale.full: 1.0, Scale.small: 0.05}  # share of the model's records written


def periods(model: CityModel, codes: list[str], frequency: Frequency) -> pd.PeriodIndex:
    """Every period of `frequency` from the first to the latest published of `codes`."""
    chosen = [c for c in codes if model.catalog.get(c).frequency is frequency]
    first = min(model.first_period(c) for c in chosen).to_pandas()
    last = max(model.last_period(c) for c in chosen).to_pandas()
    return pd.period_range(first, last, freq=PANDAS_FREQ[frequency])


def truth(model: CityModel, code: str, index: pd.PeriodIndex, areas: list[str]) -> np.ndarray:
    """The model's values of `code` over `index` × `areas`, published yet or not."""
    # CityModel.frame stops at the period published by today; a database runs on.
    return model.full(code).reindex(index)[areas].to_numpy(dtype=float)


def counts(model: CityModel, code: str, index: pd.PeriodIndex, volume: float) -> np.ndarray:
    """`volume` × the model's district counts, as whole records."""
    values = truth(model, code, index, model.districts) * volume
    return np.rint(values).astype(np.int64)


def frame(values: np.ndarray, index: pd.PeriodIndex, model: CityModel) -> pd.DataFrame:
    """District values as a frame with the city (their sum) first, like the model's frames."""
    districts = pd.DataFrame(values, index=index, columns=model.districts)
    districts.insert(0, model.city, districts.sum(axis=1))
    return districts
