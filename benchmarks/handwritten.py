"""The deadline query written by hand: one SQL statement per municipality, rows as tuples.

It returns what `models.roadmap.deadlines_within` returns (open milestones of open
measures, planned ends of open measures, OZG services below their target maturity; each due
on or before a day), in the same order, but as plain rows: the floor the ORM version is
measured against. Dates are compared as ISO text on SQLite and as dates on PostgreSQL, which
is how each stores them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, text

from models.enums import MeasureStatus
from models.legal import OZG_DEADLINE_ON

OPEN = ", ".join(f"'{status.value}'" for status in MeasureStatus if status.is_open)

DEADLINES_SQL = text(f"""
SELECT 'milestone' AS kind, ms.id AS source_id, ms.due_on AS due_on, ms.title AS title,
       m.id AS measure_id, m.code AS measure_code, m.title AS measure_title,
       m.owner_id AS owner_id, p.name AS owner_name, ms.kind AS milestone_kind,
       CAST(NULL AS DATE) AS forecast_end_on, CAST(NULL AS VARCHAR) AS ozg_id,
       CAST(NULL AS VARCHAR) AS maturity_model, CAST(NULL AS INTEGER) AS maturity_current,
       CAST(NULL AS INTEGER) AS maturity_target
  FROM milestone ms
  JOIN measure m ON m.id = ms.measure_id
  LEFT JOIN person p ON p.id = m.owner_id
 WHERE m.municipality_id = :town AND m.status IN ({OPEN})
   AND ms.done_on IS NULL AND ms.due_on <= :until
UNION ALL
SELECT 'measure-end', m.id, m.ends_on, m.title, m.id, m.code, m.title, m.owner_id, p.name,
       NULL, m.forecast_end_on, NULL, NULL, NULL, NULL
  FROM measure m
  LEFT JOIN person p ON p.id = m.owner_id
 WHERE m.municipality_id = :town AND m.status IN ({OPEN})
   AND m.ends_on IS NOT NULL AND m.ends_on <= :until
UNION ALL
SELECT 'ozg-service', o.id, COALESCE(o.deadline_on, :ozg_deadline), o.name, m.id, m.code,
       m.title, m.owner_id, p.name, NULL, NULL, o.ozg_id, o.maturity_model,
       o.maturity_current, o.maturity_target
  FROM ozg_service o
  LEFT JOIN measure m ON m.id = o.measure_id
  LEFT JOIN person p ON p.id = m.owner_id
 WHERE o.municipality_id = :town AND o.maturity_current < o.maturity_target
   AND COALESCE(o.deadline_on, :ozg_deadline) <= :until
 ORDER BY due_on, measure_code, kind, source_id
""")


def deadline_rows(
    connection: Connection, *, municipality_id: int, until: date
) -> list[tuple[Any, ...]]:
    """Every open deadline of the municipality due on or before `until`, by date."""
    sqlite = connection.dialect.name == "sqlite"
    parameters = {
        "town": municipality_id,
        "until": until.isoformat() if sqlite else until,
        "ozg_deadline": OZG_DEADLINE_ON.isoformat() if sqlite else OZG_DEADLINE_ON,
    }
    return [tuple(row) for row in connection.execute(DEADLINES_SQL, parameters)]
