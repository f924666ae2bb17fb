"""Builders of test data, in one place.

- `catalogue`: municipality, person, strategy with fields of action, measure, milestone, committee;
- `ozg`: OZG services;
- `indicators`: indicators and their targets;
- `status`: reporting periods, status requests, answers, and an owner asked about measures;
- `report`: the frozen report objects (`ReportData`, `MeasureEntry`, …) built without a database;
- `deadlines`: deadlines as the roadmap reads them, without a database;
- `ledger`: a fake clock for the leases of the notification ledger's claims;
- `catalogue_files`: catalogues in each format, as towns write them;
- `status_town` and `report_town`: small towns played through a status cycle or two quarters.

Row builders add and flush, so the row has its id, and leave the commit to the caller.
"""
