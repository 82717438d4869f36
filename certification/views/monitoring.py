"""Monitoring of the clubs in the regions (recommendation II.5): the
measures of every voivodeship as tables and bar charts, and as a CSV file.

The people of the certifying, audit and appeal units read it; anyone else
gets 404. The numbers are aggregates without personal data. The charts are
inline SVG drawn on the server, so they need no JavaScript; each one has a
title and a description for screen readers, and a table beside it with the
same numbers.
"""

import csv
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from certification import monitoring, permissions
from certification.monitoring import Monitoring, RegionMeasures, decimal_text

from .common import UnitMemberMixin

# The geometry of a chart, in SVG user units; the browser scales it to the
# page width. Bars are sized with SVG attributes: the Content Security Policy
# forbids inline style attributes.
CHART_WIDTH = 640
LABEL_WIDTH = 170
BAR_GAP = 8
BAR_MAX = 390
ROW_HEIGHT = 26
BAR_HEIGHT = 18


@dataclass
class Bar:
    label: str
    text: str
    y: int
    width: int

    @property
    def rect_y(self) -> int:
        return self.y + (ROW_HEIGHT - BAR_HEIGHT) // 2

    @property
    def text_y(self) -> int:
        # The baseline of 13-unit text centred on the bar.
        return self.rect_y + 14

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + BAR_GAP + self.width + 6


@dataclass
class BarChart:
    """One horizontal bar chart: one bar per region."""

    key: str
    title: str
    description: str
    bars: list[Bar]

    @property
    def height(self) -> int:
        return len(self.bars) * ROW_HEIGHT + 4

    width = CHART_WIDTH
    label_x = LABEL_WIDTH
    bar_x = LABEL_WIDTH + BAR_GAP
    bar_height = BAR_HEIGHT


def bar_chart(
    key: str,
    title: str,
    description: str,
    values: list[tuple[str, float | None, str]],
) -> BarChart:
    """A chart of (label, value, value as printed) rows; a missing value is
    drawn with no bar and a dash.
    """
    top = max((value for _label, value, _text in values if value), default=0)
    bars = []
    for index, (label, value, text) in enumerate(values):
        width = round(BAR_MAX * value / top) if value and top else 0
        bars.append(
            Bar(label=label, text=text or "–", y=index * ROW_HEIGHT, width=width)
        )
    return BarChart(key=key, title=title, description=description, bars=bars)


def _charts(measures: Monitoring) -> dict[str, BarChart]:
    regions: list[RegionMeasures] = measures.regions
    same_numbers = _("The same numbers are in the table below the chart.")
    return {
        "cases": bar_chart(
            "cases",
            _("Cases submitted, by voivodeship"),
            same_numbers,
            [(r.name, r.submitted, str(r.submitted)) for r in regions],
        ),
        "certificates": bar_chart(
            "certificates",
            _("Certificates valid today, by voivodeship"),
            same_numbers,
            [
                (r.name, r.valid_certificates, str(r.valid_certificates))
                for r in regions
            ],
        ),
        "days": bar_chart(
            "days",
            _("Median days from first submission to decision, by voivodeship"),
            same_numbers,
            [
                (
                    r.name,
                    r.median_days_to_decision,
                    decimal_text(r.median_days_to_decision),
                )
                for r in regions
            ],
        ),
        "corrections": bar_chart(
            "corrections",
            _("Share of submitted cases sent back for correction (%), by voivodeship"),
            same_numbers,
            [
                (r.name, r.correction_share, decimal_text(r.correction_share))
                for r in regions
            ],
        ),
        "appeals": bar_chart(
            "appeals",
            _("Appeals lodged, by voivodeship"),
            same_numbers,
            [(r.name, r.appeals_lodged, str(r.appeals_lodged)) for r in regions],
        ),
    }


def _row(region: RegionMeasures) -> dict:
    """One region's numbers as the tables print them, in column order."""
    return {
        "name": region.name or _("Poland, all voivodeships"),
        "measures": region,
        "cases_by_state": [
            region.cases_by_state.get(state, 0) for state in monitoring.CASE_STATES
        ],
        "median_days": decimal_text(region.median_days_to_decision) or "–",
        "correction_share": decimal_text(region.correction_share) or "–",
        "appeal_outcomes": [
            region.appeal_outcomes.get(outcome, 0)
            for outcome in monitoring.APPEAL_OUTCOMES
        ],
    }


class MonitoringMixin(UnitMemberMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not permissions.can_view_monitoring(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class MonitoringView(MonitoringMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        measures = monitoring.monitoring_measures()
        context = {
            "on": measures.on,
            "charts": _charts(measures),
            "case_states": monitoring.CASE_STATES,
            "appeal_outcomes": monitoring.APPEAL_OUTCOMES,
            "rows": [_row(region) for region in measures.regions],
            "national": _row(measures.national),
        }
        return render(request, "certification/monitoring.html", context)


class MonitoringCsvView(MonitoringMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        measures = monitoring.monitoring_measures()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="monitoring-sc-kis-{measures.on:%Y-%m-%d}.csv"'
        )
        # Excel opens a CSV file as UTF-8 only when it starts with a byte order
        # mark; without one, Polish letters come out garbled. Excel with Polish
        # regional settings splits columns on ";" (the comma is the decimal
        # separator there), so that is the separator.
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
        writer.writerows(monitoring.monitoring_csv_rows(measures))
        return response
