"""Geometry for the monthly bar chart (pure); templates/moving/_chart.html draws it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from consent.moving.report import MonthFigures

WIDTH = 720
HEIGHT = 320
LEFT = 48
RIGHT = 12
TOP = 16
BOTTOM = 56
# (attribute of MonthFigures, fill colour with at least 3:1 contrast on white)
SERIES = (
    ("signups", "#0b4f8a"),
    ("moves", "#1d6b2f"),
    ("family_homes_freed", "#8a5a00"),
)


@dataclass(frozen=True)
class Bar:
    series: str
    x: float
    y: float
    width: float
    height: float
    value: int
    fill: str


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class Group:
    month_index: int
    label_x: float
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    baseline: float
    groups: list[Group]
    ticks: list[Tick]


def nice_max(value: int) -> int:
    """A round top for the axis: at least 1, else 1, 2 or 5 times a power of ten, or above."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def bar_chart(months: Sequence[MonthFigures]) -> Chart:
    top_value = nice_max(max((getattr(m, s) for m in months for s, _ in SERIES), default=0))
    plot_height = HEIGHT - TOP - BOTTOM
    plot_width = WIDTH - LEFT - RIGHT
    baseline = TOP + plot_height
    slot = plot_width / max(len(months), 1)
    bar_width = slot * 0.8 / len(SERIES)
    groups = []
    for index, figures in enumerate(months):
        start = LEFT + index * slot + slot * 0.1
        bars = []
        for position, (name, fill) in enumerate(SERIES):
            value = int(getattr(figures, name))
            height = plot_height * value / top_value
            bars.append(
                Bar(name, round(start + position * bar_width, 2), round(baseline - height, 2),
                    round(bar_width, 2), round(height, 2), value, fill)
            )  # fmt: skip
        groups.append(Group(index, round(LEFT + index * slot + slot / 2, 2), bars))
    step = max(top_value // (4 if str(top_value)[0] == "2" else 5), 1)
    marks = [
        Tick(round(baseline - plot_height * value / top_value, 2), value)
        for value in range(0, top_value + 1, step)
    ]
    return Chart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, baseline, groups, marks)
