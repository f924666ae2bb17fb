"""The words people read for the domain's statuses, the same in mail, web form and report."""

from __future__ import annotations

from models.enums import MeasureStatus

STATUS_LABELS: dict[str, dict[MeasureStatus, str]] = {
    "de": {
        MeasureStatus.PLANNED: "geplant",
        MeasureStatus.IN_PROGRESS: "in Umsetzung",
        MeasureStatus.DONE: "abgeschlossen",
        MeasureStatus.ON_HOLD: "zurückgestellt",
        MeasureStatus.CANCELLED: "abgebrochen",
    },
    "en": {
        MeasureStatus.PLANNED: "planned",
        MeasureStatus.IN_PROGRESS: "in progress",
        MeasureStatus.DONE: "done",
        MeasureStatus.ON_HOLD: "on hold",
        MeasureStatus.CANCELLED: "cancelled",
    },
}
