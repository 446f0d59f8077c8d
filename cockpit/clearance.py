"""Who may see which indicator. A user without clearance for an indicator does not see it at
all (no tile, no row, no sentence, no line in a download): it is absent, not blurred, so
neither its figure nor the fact that it moved can be read off the screen.

- leader, admin: every indicator;
- operator: everything but `restricted` (the console shows sources, not restricted values);
- bureau head: their own bureau's indicators (责任单位 = their bureau, restricted ones too)
  and other bureaus' `public` ones.

Computation still uses the whole catalog (a public rate may rest on internal counts); only
what is shown is filtered, here, by code.
"""

from __future__ import annotations

from cockpit.session import Principal, Role
from indicators.model import Indicator, Sensitivity
from indicators.registry import Catalog

EVERYTHING = frozenset({Role.leader, Role.admin})


def may_see(principal: Principal, ind: Indicator) -> bool:
    if principal.role in EVERYTHING:
        return True
    if principal.role is Role.operator:
        return ind.sensitivity is not Sensitivity.restricted
    own = principal.bureau is not None and ind.owner == principal.bureau
    return own or ind.sensitivity is Sensitivity.public


def visible_codes(catalog: Catalog, principal: Principal) -> frozenset[str]:
    """The codes of the indicators `principal` may see."""
    return frozenset(ind.code for ind in catalog if may_see(principal, ind))
