"""What every figure on a page or in a report is: a number, what it counts, and the list that produces it.

The computations live where they may read the records they count (`reports.figures`); the
types and the link to the filtered list live here, so that every app's tables and pages
speak of figures the same way. The lists' GET parameters are a contract between the apps:
a figure's URL opens the list that, filtered so, counts the same rows.
"""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from coop.links import page_url


def list_url(url_name: str, **params) -> str:
    """`/tasks/?programme=3&status=in_progress`: a list page filtered by `params`.

    A list or tuple value repeats its parameter (`kind=a&kind=b`); a None value is left out.
    """
    query = urlencode({name: value for name, value in params.items() if value is not None}, doseq=True)
    return f"{page_url(url_name)}?{query}" if query else page_url(url_name)


@dataclass(frozen=True)
class Figure:
    """A number on screen or in a report, what it counts, and the filtered list that produces it.

    A quantity of outputs also names its `unit` (quantities of different units are never added up)
    and what is still waiting to count: `pending`, the quantity recorded or submitted but not yet
    verified, shown beside the figure ("+3 chờ xác nhận") with the list of those rows.
    """

    key: str
    label: str
    value: int | Decimal
    url: str
    unit: str = ""
    pending: int = 0
    pending_url: str = ""


@dataclass(frozen=True)
class TargetFigure:
    """A target a programme agreed to deliver, beside the figure computed from the records."""

    label: str
    target: Decimal
    actual: int | Decimal
    url: str
    note: str = ""
    is_money: bool = False
    key: str = ""  # the target's own key (its primary key), which the audit of figures names it by

    @property
    def percent(self) -> int | None:
        """How much of the target is reached, in whole percent."""
        if not self.target:
            return None
        return int(Decimal(self.actual) * 100 / self.target)
