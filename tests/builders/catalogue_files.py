"""Small catalogues in each format, as towns write them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl

STRATEGY_YAML = """\
municipality:
  name: Stadt Beispielhausen
  federal_state: sh
strategy:
  name: Digitalstrategie Beispielhausen
  adopted_on: 2025-03-27
  period: {start: 2025-01-01, end: 2030-12-31}
pillars:
  - Meer-Daten
  - name: Meer-Mensch
    description: Die Menschen im Mittelpunkt
fields_of_action:
  - name: Digitale Verwaltung
    description: OZG und E-Akte
  - Bildung
people:
  - name: Anna Schmidt
    email: anna.schmidt@example.org
    org_unit: Bürgerservice
    deputy: Bernd Vogel
  - name: Bernd Vogel
    email: bernd.vogel@example.org
    org_unit: Stabsstelle Digitalisierung
    coordinator: true
    language: en
    deputy: anna.schmidt@example.org
    apprise_urls: [json://127.0.0.1:9/hook]
committee:
  name: Ausschuss für Digitalisierung
  recipients: [rat@example.org]
  meetings: [2026-03-12, 10.09.2026]
measures:
  - code: V-01
    title: E-Akte einführen
    description: Elektronische Akte in allen Ämtern
    field_of_action: Digitale Verwaltung
    pillars: [Meer-Daten, Meer-Mensch]
    owner: Anna Schmidt
    start: 2025-01-01
    end: 31.12.2026
    status: in Umsetzung
    progress: 45 %
    priority: hoch
    quick_win: nein
    budget: 1.234,56 €
    depends_on: [V-02]
    milestones:
      - {title: Pilot im Personalamt, due: 2026-03-31, kind: intern, done: 2026-04-02}
      - {title: OZG-Frist, due: 31.12.2026, kind: gesetzlich}
    ozg_services:
      - ozg_id: "99115005104000"
        leika_key: "99115005104000"
        name: Wohnsitz Anmeldung
        topic_field: Ein- und Auswanderung
        maturity_model: v2.0
        maturity_current: 2
        maturity_target: 5
        deadline: 2026-06-30
  - code: V-02
    title: Scanstelle
    field_of_action: Digitale Verwaltung
    owner: bernd.vogel@example.org
    status: abgeschlossen
    progress: 100
    public: false
"""

GERMAN_MEASURES_CSV = (
    "Nr.;Maßnahme;Beschreibung;Handlungsfeld;Säule;Verantwortlich;Beginn;Ende;Status;"
    "Fortschritt;Priorität;Quick Win;Budget\n"
    'V-01;E-Akte einführen;Akten digital;Digitale Verwaltung;"Meer-Daten; Meer-Mensch";'
    "anna.schmidt@example.org;01.01.2026;31.12.2026;in Umsetzung;45 %;hoch;ja;1.234,56 €\n"
    ";;;;;;;;;;;;\n"
    "B-03 ;WLAN in Schulen ;;Bildung;Meer-Mensch;Bernd Vogel;1.8.2026;31.7.2027;geplant;"
    "0 %;niedrig;nein;12.500,00 €\n"
)

GERMAN_PEOPLE_CSV = """\
Name;E-Mail;Organisationseinheit;Vertretung;Sprache
Anna Schmidt;anna.schmidt@example.org;Bürgerservice;bernd.vogel@example.org;Deutsch
Bernd Vogel;bernd.vogel@example.org;Stabsstelle Digitalisierung;;en
"""

GERMAN_MILESTONES_CSV = """\
Nr.;Meilenstein;Fällig am;Art;Erledigt am
V-01;Pilot im Personalamt;31.03.2026;intern;02.04.2026
V-01;Förderbescheid;30.06.2026;Förderung;
"""

PLAIN_MEASURES_CSV = (
    "code,title,field_of_action,pillar,owner,start,end,status,progress,priority,quick_win,budget\n"
    "V-01,E-Akte einführen,Digitale Verwaltung,Meer-Daten;Meer-Mensch,anna.schmidt@example.org,"
    "2026-01-01,2026-12-31,in progress,45,high,yes,1234.56\n"
    "B-03,WLAN in Schulen,Bildung,Meer-Mensch,Bernd Vogel,2026-08-01,2027-07-31,planned,0,low,"
    'no,"12,500.00"\n'
)

PLAIN_PEOPLE_CSV = """\
name,email,org_unit,deputy,language
Anna Schmidt,anna.schmidt@example.org,Bürgerservice,bernd.vogel@example.org,de
Bernd Vogel,bernd.vogel@example.org,Stabsstelle Digitalisierung,,English
"""


def cell_date(year: int, month: int, day: int) -> datetime:
    """A date cell as openpyxl reads it back: a datetime without a time zone."""
    return datetime(year, month, day)  # noqa: DTZ001 - spreadsheet cells know no time zone


def workbook(path: Path) -> Path:
    """A workbook as an office keeps it: date and percent cells, stray spaces, an empty row."""
    book = openpyxl.Workbook()
    measures = book.active
    measures.title = "Maßnahmen"
    measures.append(
        [
            *("Nr.", " maßnahme", "HANDLUNGSFELD", "Säule", "Verantwortlich", "Beginn", "Ende"),
            *("Status", "Fortschritt", "Priorität", "Quick Win", "Budget", "OZG-ID", "Notizen"),
        ]
    )
    measures.append(
        [
            *("V-01", "E-Akte einführen ", "Digitale Verwaltung", "Meer-Daten; Meer-Mensch"),
            *("anna.schmidt@example.org", cell_date(2026, 1, 1), cell_date(2026, 12, 31)),
            *("in Umsetzung", 0.45, "hoch", "ja", 1234.56, 99115005104000, "intern"),
        ]
    )
    measures.append([None] * 5)
    measures.append(
        [
            *("B-03", "WLAN in Schulen", "Bildung", "Meer-Mensch", "Bernd Vogel", "01.08.2026"),
            *("31.07.2027", "planned", "0 %", "low", "no", "12.500,00 €", None, None),
        ]
    )
    measures["I2"].number_format = "0%"
    measures["F2"].number_format = measures["G2"].number_format = "DD.MM.YYYY"
    measures["L2"].number_format = '#,##0.00 "€"'
    people = book.create_sheet("people")
    people.append(["name", "E-Mail ", "org_unit", "deputy", "language"])
    people.append(
        ["Anna Schmidt", "anna.schmidt@example.org", "Bürgerservice", "Bernd Vogel", "de"]
    )
    people.append(["Bernd Vogel", "bernd.vogel@example.org", "Stabsstelle", None, "en"])
    milestones = book.create_sheet("Meilensteine")
    milestones.append(["Nr.", "Meilenstein", "Fällig am", "Art", "Erledigt am"])
    milestones.append(["V-01", "Pilot im Personalamt", cell_date(2026, 3, 31), "intern", None])
    book.create_sheet("Erläuterungen").append(["Dieses Blatt wird nicht importiert."])
    book.save(path)
    return path
