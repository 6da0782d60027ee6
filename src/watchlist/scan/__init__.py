"""Document scanning: extract (text/HTML/PDF/DOCX) -> listed parties, sanctioned places, red flags -> report.

Spans are `[start, end)` character offsets into the extracted text.
"""

from watchlist.scan.extract import Document, ExtractionError, extract_bytes, extract_path
from watchlist.scan.parties import PartyFinder, PartyMention
from watchlist.scan.places import PlaceGazetteer, PlaceMention, load_places
from watchlist.scan.rules import RedFlag, RuleSet, load_rules
from watchlist.scan.scanner import PAGE_CHARS, Scanner, ScanOptions, ScanReport

__all__ = [
    "PAGE_CHARS", "Document", "ExtractionError", "PartyFinder", "PartyMention", "PlaceGazetteer",
    "PlaceMention", "RedFlag", "RuleSet", "ScanOptions", "ScanReport", "Scanner", "extract_bytes",
    "extract_path", "load_places", "load_rules",
]
