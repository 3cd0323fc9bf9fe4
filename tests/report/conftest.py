"""The bilan's tests share the dashboard's hand-counted club and what the bilan adds to it."""

from tests.dashboard.club_fixture import club  # noqa: F401 (a fixture)
from tests.report.bilan_fixture import bilan  # noqa: F401 (a fixture)
