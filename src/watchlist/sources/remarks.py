"""OFAC remarks: "DOB 03 May 1970; POB Pyongyang, North Korea; a.k.a. 'KIM Il'; ..." -> facts.

The legacy OFAC files (sdn.csv, cons_prim.csv) put most of what they know about a
party in one free-text Remarks field: parts separated by ';', each starting with a
label. `parse_remarks` is pure and never raises: a part it does not understand is
left in `Remarks.unparsed` (the caller keeps the whole text as a remark anyway).

Names in remarks are OFAC's *weak* a.k.a.s (the strong ones are in alt.csv), so
they become `weakAlias`; 'f.k.a.' names become `previousName`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from watchlist.model import IdType, NameKind
from watchlist.text.dates import parse_date


@dataclass
class Remarks:
    names: list[tuple[str, NameKind]] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)  # as written ('Korea, North')
    # (type, value, country as written or None, the label OFAC used)
    identifiers: list[tuple[IdType, str, str | None, str]] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)  # gender, linkedTo, website, ...
    unparsed: list[str] = field(default_factory=list)


# Label (as OFAC writes it, after an optional 'alt. ') -> identifier type. Longest first.
_ID_LABELS: dict[str, IdType] = {
    "Vessel Registration Identification": IdType.IMO,  # value 'IMO 8405311'
    "Identification Number IMO": IdType.IMO,
    "Company Number IMO": IdType.IMO,
    "IMO": IdType.IMO,
    "MMSI": IdType.MMSI,
    "Call Sign": IdType.CALL_SIGN,
    "SWIFT/BIC": IdType.SWIFT_BIC,
    "Passport": IdType.PASSPORT,
    "Diplomatic Passport": IdType.PASSPORT,
    "Stateless Person Passport": IdType.PASSPORT,
    "Refugee ID Card": IdType.NATIONAL_ID,
    "National ID No.": IdType.NATIONAL_ID,
    "National Foreign ID Number": IdType.NATIONAL_ID,
    "Identification Number": IdType.NATIONAL_ID,
    "Personal ID Card": IdType.NATIONAL_ID,
    "Cedula No.": IdType.NATIONAL_ID,
    "Citizen's Card Number": IdType.NATIONAL_ID,
    "D.N.I.": IdType.NATIONAL_ID,
    "C.U.R.P.": IdType.NATIONAL_ID,
    "CURP #": IdType.NATIONAL_ID,
    "SSN": IdType.NATIONAL_ID,
    "Residency Number": IdType.NATIONAL_ID,
    "Kenyan ID No.": IdType.NATIONAL_ID,
    "Birth Certificate Number": IdType.NATIONAL_ID,
    "Electoral Registry No.": IdType.NATIONAL_ID,
    "Driver's License No.": IdType.OTHER,
    "Tax ID No.": IdType.TAX_ID,
    "V.A.T. Number": IdType.TAX_ID,
    "R.F.C.": IdType.TAX_ID,
    "RFC": IdType.TAX_ID,
    "NIT #": IdType.TAX_ID,
    "RUC #": IdType.TAX_ID,
    "RIF #": IdType.TAX_ID,
    "C.U.I.T.": IdType.TAX_ID,
    "C.U.I.P.": IdType.TAX_ID,
    "Taxpayer Identification Number": IdType.TAX_ID,
    "Registration Number": IdType.REGISTRATION,
    "Registration ID": IdType.REGISTRATION,
    "Business Registration Number": IdType.REGISTRATION,
    "Business Registration Document #": IdType.REGISTRATION,
    "Business Number": IdType.REGISTRATION,
    "Company Number": IdType.REGISTRATION,
    "Commercial Registry Number": IdType.REGISTRATION,
    "Commercial Registration Number": IdType.REGISTRATION,
    "Government Gazette Number": IdType.REGISTRATION,
    "Unified Social Credit Code (USCC)": IdType.REGISTRATION,
    "Legal Entity Number": IdType.REGISTRATION,
    "Chamber of Commerce Number": IdType.REGISTRATION,
    "Trade License No.": IdType.REGISTRATION,
    "C.R. No.": IdType.REGISTRATION,
    "Folio Mercantil No.": IdType.REGISTRATION,
    "Matricula Mercantil No": IdType.REGISTRATION,
    "Economic Register Number (CBLS)": IdType.REGISTRATION,
    "Central Registration System Number": IdType.REGISTRATION,
    "Public Registration Number": IdType.REGISTRATION,
    "Enterprise Number": IdType.REGISTRATION,
    "Certificate of Incorporation Number": IdType.REGISTRATION,
    "Registered Charity No.": IdType.REGISTRATION,
    "D-U-N-S Number": IdType.REGISTRATION,
    "License": IdType.REGISTRATION,
    "Aircraft Tail Number": IdType.REGISTRATION,
    "Aircraft Manufacturer's Serial Number (MSN)": IdType.AIRCRAFT_SERIAL,
    "Aircraft Construction Number (also called L/N or S/N or F/N)": IdType.AIRCRAFT_SERIAL,
    "Equity Ticker": IdType.OTHER,
    "ISIN": IdType.OTHER,
}
_ID_RE = re.compile(
    "^(" + "|".join(re.escape(k) for k in sorted(_ID_LABELS, key=len, reverse=True)) + ")(?=[ :#]|$)"
)

# Label -> extra property; the value is kept as written (dates parsed where marked).
_EXTRA_LABELS: dict[str, str] = {
    "Linked To:": "linkedTo",
    "Website": "website",
    "Email Address": "email",
    "Email": "email",
    "Phone Number": "phone",
    "Telephone:": "phone",
    "Telephone": "phone",
    "Fax:": "fax",
    "Fax": "fax",
    "Organization Type:": "sector",
    "Target Type": "legalForm",
    "Aircraft Model": "model",
    "Aircraft Operator": "operator",
    "Aircraft Manufacture Date": "buildDate",
    "Vessel Year of Build": "buildDate",
    "Former Vessel Flag": "pastFlags",
    "Vessel Flag": "flag",
    "Vessel Type": "type",
    "Organization Established Date": "incorporationDate",
    "Title": "title",
    "Position": "position",
}
_EXTRA_RE = re.compile(
    "^(" + "|".join(re.escape(k) for k in sorted(_EXTRA_LABELS, key=len, reverse=True)) + ")(?=[ :]|$)"
)
_DATE_EXTRAS = {"buildDate", "incorporationDate"}

_NAME = re.compile(r"^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s*[:,]?\s*['‘’\"](.*)['‘’\"]\s*$", re.IGNORECASE)
_VALUE = re.compile(
    r"^(?P<value>.*?)\s*(?:\((?P<country>[^()]*)\))?"
    r"(?:\s*(?:issued|expires|Issue Date|Expiration Date|Date of Issue)\b.*)?$",
    re.DOTALL,
)
_CRYPTO = re.compile(r"^Digital Currency Address\s*-\s*(?P<cur>[A-Z0-9]+)\s+(?P<addr>\S+)")
_GENDER = re.compile(r"^Gender\s+(Male|Female)$", re.IGNORECASE)


def split_remarks(text: str) -> list[str]:
    """The ';'-separated parts, stripped, each without a closing full stop."""
    parts: list[str] = []
    for raw in text.split(";"):
        part = " ".join(raw.split())
        if part.endswith(".") and not part.endswith(("a.k.a.", "No.", "f.k.a.")):
            part = part[:-1].rstrip()
        if part:
            parts.append(part)
    return parts


def parse_remarks(text: str) -> Remarks:
    """Parse an OFAC remarks string. Pure, total: never raises on any str."""
    out = Remarks()
    for part in split_remarks(text):
        if not _parse_part(part, out):
            out.unparsed.append(part)
    return out


def _parse_part(part: str, out: Remarks) -> bool:
    if m := _NAME.match(part):
        name = m.group(2).strip()
        if not name:
            return False
        kind = NameKind.PREVIOUS_NAME if m.group(1).lower() == "f.k.a." else NameKind.WEAK_ALIAS
        out.names.append((name, kind))
        return True
    body = part.removeprefix("alt. ")
    if body.startswith("DOB "):
        date = parse_date(body[4:])
        if date:
            out.birth_dates.append(date)
            return True
        return False
    if body.startswith("POB "):
        place = body[4:].strip()
        if place:
            out.birth_places.append(place)
        return bool(place)
    for label in ("nationality ", "citizen ", "Nationality of Registration "):
        if body.startswith(label):
            value = body[len(label):].strip()
            if value:
                out.nationalities.append(value)
            return bool(value)
    if m := _GENDER.match(body):
        out.extra.append(("gender", m.group(1).lower()))
        return True
    if m := _CRYPTO.match(body):
        out.identifiers.append((IdType.CRYPTO_WALLET, m["addr"], None, f"Digital Currency Address - {m['cur']}"))
        return True
    if m := _ID_RE.match(body):
        label = m.group(1)
        rest = body[len(label):].strip(" :#")
        if not rest:
            return False
        vm = _VALUE.match(rest)
        value = (vm["value"] if vm else rest).strip(" ,")
        country = vm["country"] if vm else None
        id_type = _ID_LABELS[label]
        if id_type is IdType.IMO:
            value = value.removeprefix("IMO").strip()
        if not value:
            return False
        out.identifiers.append((id_type, value, country, label))
        return True
    if m := _EXTRA_RE.match(body):
        label = m.group(1)
        value = body[len(label):].strip(" :")
        prop = _EXTRA_LABELS[label]
        if prop in _DATE_EXTRAS:
            value = parse_date(value) or value
        if not value:
            return False
        out.extra.append((prop, value))
        return True
    return False
