"""Official publication URLs per source, for the fetch code and for provenance."""

from __future__ import annotations

SOURCE_URLS: dict[str, str] = {
    "un": "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
    "ofac-sdn": "https://www.treasury.gov/ofac/downloads/sdn.csv",
    "ofac-cons": "https://www.treasury.gov/ofac/downloads/consolidated/cons_prim.csv",
    "eu": "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw",
    "uk": "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml",
}

# Every file that makes up a list, where a list is published as several files.
SOURCE_FILES: dict[str, tuple[str, ...]] = {
    "ofac-sdn": (
        "https://www.treasury.gov/ofac/downloads/sdn.csv",
        "https://www.treasury.gov/ofac/downloads/add.csv",
        "https://www.treasury.gov/ofac/downloads/alt.csv",
        "https://www.treasury.gov/ofac/downloads/sdn_comments.csv",
    ),
    "ofac-cons": (
        "https://www.treasury.gov/ofac/downloads/consolidated/cons_prim.csv",
        "https://www.treasury.gov/ofac/downloads/consolidated/cons_add.csv",
        "https://www.treasury.gov/ofac/downloads/consolidated/cons_alt.csv",
        "https://www.treasury.gov/ofac/downloads/consolidated/cons_comments.csv",
    ),
}

# Alternative official formats of the same lists.
ALTERNATE_URLS: dict[str, tuple[str, ...]] = {
    "ofac-sdn": ("https://www.treasury.gov/ofac/downloads/sdn.xml",),
    "eu": (
        "https://webgate.ec.europa.eu/fsd/fsf/public/files/csvFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw",
    ),
    "uk": (
        "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv",
        "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv",
        "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.xlsx",
    ),
}
