"""The domain: typed tables, their schemas and the queries on them.

Importing this package registers every table on `Base.metadata`.
"""

from models.audit import AuditEntry
from models.base import Base
from models.indicator import Indicator, IndicatorTarget, IndicatorValue
from models.measure import Measure, Milestone
from models.meeting import OparlMeeting, OparlReading
from models.municipality import FieldOfAction, Municipality, Pillar, Strategy
from models.notification import Notification
from models.ozg import OzgService
from models.person import Committee, CommitteeMeeting, Person
from models.snapshot import ReportSnapshot
from models.status.tables import (
    ReplacedStatusLink,
    ReportingPeriod,
    StatusReport,
    StatusRequest,
    StatusRequestIndicator,
    StatusRequestItem,
)

__all__ = [
    "AuditEntry",
    "Base",
    "Committee",
    "CommitteeMeeting",
    "FieldOfAction",
    "Indicator",
    "IndicatorTarget",
    "IndicatorValue",
    "Measure",
    "Milestone",
    "Municipality",
    "Notification",
    "OparlMeeting",
    "OparlReading",
    "OzgService",
    "Person",
    "Pillar",
    "ReplacedStatusLink",
    "ReportSnapshot",
    "ReportingPeriod",
    "StatusReport",
    "StatusRequest",
    "StatusRequestIndicator",
    "StatusRequestItem",
    "Strategy",
]
