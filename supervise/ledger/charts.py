"""Native Excel charts on the summary sheet (openpyxl.chart): the colour trend across review dates
and the ranking. They read the sheet's own cells, so they stay true to the figures beside them.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList

from ..i18n import t
from .cells import Sheet

# the colours of the bars: darker than the cell fills, so they stay apart when printed in grey
BAR = {"red": "C00000", "amber": "FFC000", "green": "70AD47", "done": "A6A6A6"}
TREND_ROWS = 20  # rows the trend chart covers (8.5 cm) before the ranking chart begins
_CM_PER_UNIT_BAR = 0.55


def add_trend_chart(sheet: Sheet, header_row: int, last_row: int, anchor: str, lang: str) -> None:
    """Stacked columns: tasks by colour (columns C–F) at each date (column B), header in header_row."""
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = t(lang, "ledger.chart.trend")
    chart.y_axis.title = None
    chart.y_axis.majorGridlines = None
    chart.width, chart.height = 18, 8.5
    chart.legend.position = "b"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    sheet.charts.append((lambda ws: _fill_trend(chart, ws, header_row, last_row), anchor))


def _fill_trend(chart: BarChart, ws, header_row: int, last_row: int) -> BarChart:
    data = Reference(ws, min_col=3, max_col=6, min_row=header_row, max_row=last_row)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, min_row=header_row + 1, max_row=last_row))
    for series, colour in zip(chart.series, BAR.values()):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    return chart


def add_ranking_chart(sheet: Sheet, first_row: int, last_row: int, anchor: str, lang: str) -> None:
    """Horizontal bars: each unit's on-time rate (column I), rank 1 at the top (names in column B)."""
    chart = BarChart()
    chart.type = "bar"
    chart.title = t(lang, "ledger.chart.ranking")
    chart.legend = None
    n = last_row - first_row + 1
    chart.width, chart.height = 18, max(6.0, min(40.0, 2.5 + _CM_PER_UNIT_BAR * n))
    chart.x_axis.scaling.orientation = "maxMin"  # the first row (rank 1) at the top
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.y_axis.number_format = "0%"
    chart.y_axis.majorGridlines = None
    sheet.charts.append((lambda ws: _fill_ranking(chart, ws, first_row, last_row), anchor))


def _fill_ranking(chart: BarChart, ws, first_row: int, last_row: int) -> BarChart:
    chart.add_data(Reference(ws, min_col=9, min_row=first_row, max_row=last_row), titles_from_data=False)
    chart.set_categories(Reference(ws, min_col=2, min_row=first_row, max_row=last_row))
    series = chart.series[0]
    series.graphicalProperties.solidFill = "4472C4"
    series.dLbls = DataLabelList()
    series.dLbls.showVal = True
    series.dLbls.showCatName = series.dLbls.showSerName = series.dLbls.showLegendKey = False
    series.dLbls.showPercent = False
    series.dLbls.numFmt = "0.0%"
    return chart
