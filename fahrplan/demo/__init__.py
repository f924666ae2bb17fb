"""The demo: a catalogue built from real German strategies, shipped as package data."""

from pathlib import Path

CATALOGUE = Path(__file__).with_name("catalogue.yaml")
