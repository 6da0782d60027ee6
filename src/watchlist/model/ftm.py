"""The FollowTheMoney (FtM) view of an entity, as yente serves it.

* Dataset names in FtM's form: lower-case letters, digits and underscores
  (`ofac-sdn` -> `ofac_sdn`). `ftm_dataset_name` is the one mapping; input
  accepts either spelling (`same_dataset`).
* Schema names as FtM spells them (`Aircraft` -> `Airplane`).
* Only properties the FtM schema defines. List-specific extras (`unReference`,
  `ukSanctionsListRef`, `linkedTo`, ...) become `notes` lines ("UN reference:
  KPi.033"), a fax number becomes a `phone`; nothing is dropped silently.
* Date ranges ("1968/1970") give both ends, each a valid FtM date.
* `first_seen`/`last_seen`/`last_change` as yente writes them: `YYYY-MM-DDTHH:MM:SS` (UTC).

`FTM_PROPERTIES` is generated from followthemoney's model (the non-entity
properties of each schema); tests/model/test_ftm.py checks it against followthemoney.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from watchlist.model.entity import Entity, Schema

FTM_SCHEMA: dict[Schema, str] = {Schema.AIRCRAFT: "Airplane"}

# Extras FtM does not define: (FtM property, label for the value); a None label keeps the value as is.
MOVED_EXTRAS: dict[str, tuple[str, str | None]] = {
    "fax": ("phone", None),
    "linkedTo": ("notes", "Linked to"),
    "unReference": ("notes", "UN reference"),
    "unitedNationId": ("notes", "UN reference"),
    "ukSanctionsListRef": ("notes", "UK sanctions list reference"),
    "euReferenceNumber": ("notes", "EU reference number"),
    "ofsiGroupId": ("notes", "OFSI group ID"),
    "sanctionsImposed": ("notes", "Sanctions imposed"),
    "owner": ("notes", "Owner"),
}
DATE_PROPERTIES = frozenset(
    (
        "birthDate",
        "deathDate",
        "createdAt",
        "modifiedAt",
        "incorporationDate",
        "dissolutionDate",
        "buildDate",
        "registrationDate",
    )
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Value shapes FtM's types accept; a value of another shape goes to `notes`, labelled, rather than be lost.
COUNTRY_PROPERTIES = frozenset(
    ("country", "nationality", "citizenship", "jurisdiction", "mainCountry", "birthCountry", "flag", "pastFlags",
     "registrationCountry", "deathCountry")
)
_SHAPES: dict[str, re.Pattern[str]] = {
    "phone": re.compile(r"^\+[\d\s().-]{6,24}$"),
    "email": re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"),
    "website": re.compile(r"^(https?://)?[A-Za-z0-9][^\s/:]*\.[^\s]*$"),
    **{prop: re.compile(r"^[a-z]{2}(-[a-z0-9]+)?$") for prop in COUNTRY_PROPERTIES},
}


def ftm_dataset_name(name: str) -> str:
    """`ofac-sdn` -> `ofac_sdn`: the FtM form of a dataset name (letters, digits, underscores)."""
    return _NOT_SLUG.sub("_", name.strip().lower()).strip("_")


def same_dataset(left: str, right: str) -> bool:
    """Whether two spellings name one dataset (`ofac-sdn` and `ofac_sdn` do)."""
    return ftm_dataset_name(left) == ftm_dataset_name(right)


def ftm_schema(schema: Schema) -> str:
    return FTM_SCHEMA.get(schema, schema.value)


def yente_timestamp(stamp: str | None) -> str | None:
    """`2026-12-04T14:41:23Z` (or `+00:00`, or with fractions) -> `2026-12-04T14:41:23`."""
    if not stamp:
        return None
    text = stamp.strip().replace(" ", "T")
    if len(text) == 10:  # a bare date
        return f"{text}T00:00:00"
    return text[:19] if len(text) >= 19 else None


@dataclass(frozen=True, slots=True)
class Seen:
    """When an entity was first and last seen in our data, and when it last changed (ISO 8601 UTC)."""

    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None


def ftm_properties(entity: Entity) -> dict[str, list[str]]:
    """The entity's properties under FtM names valid for its FtM schema."""
    allowed = FTM_PROPERTIES[ftm_schema(entity.schema)]
    out: dict[str, list[str]] = {}

    def add(prop: str, value: str) -> None:
        values = out.setdefault(prop, [])
        if value and value not in values:
            values.append(value)

    for prop, values in entity.properties().items():
        for value in values:
            target, text = _placed(prop, value, allowed)
            if prop in DATE_PROPERTIES and target == prop and "/" in value:
                for end in value.split("/"):
                    add(prop, end.strip())
            else:
                add(target, text)
    if not out.get("topics"):
        out["topics"] = list(entity_topics(entity))
    return {k: v for k, v in out.items() if v}


def entity_topics(entity: Entity) -> tuple[str, ...]:
    """FtM topics: the entity's own (FtM files carry them); an official sanctions list's entry is a `sanction`."""
    return entity.extra_values("topics") or ("sanction",)


def _placed(prop: str, value: str, allowed: frozenset[str]) -> tuple[str, str]:
    """Where a value goes in FtM: its own property, the one it moves to, or a labelled note."""
    target, text = prop, value
    if prop not in allowed:
        moved = MOVED_EXTRAS.get(prop)
        if moved is None or moved[0] not in allowed:
            return "notes", f"{prop}: {value}"
        target, label = moved
        text = f"{label}: {value}" if label else value
    shape = _SHAPES.get(target)
    if (shape is not None and not shape.match(text)) or (target == "imoNumber" and not valid_imo(text)):
        return "notes", f"{prop}: {value}"
    return target, text


def valid_imo(value: str) -> bool:
    """An IMO number (`IMO 9123456` or `9123456`) whose check digit is right, as FtM requires."""
    digits = value.upper().removeprefix("IMO").strip()
    if len(digits) != 7 or not digits.isdigit():
        return False
    return sum(int(d) * w for d, w in zip(digits[:6], range(7, 1, -1), strict=True)) % 10 == int(digits[6])


def to_ftm(entity: Entity, seen: Seen | None = None, referents: Sequence[str] = ()) -> dict[str, Any]:
    """One FtM entity as yente serves it (and as an `entities.ftm.json` line holds it).

    `referents`: the ids of the list records merged into this party (by default the entity's own id)."""
    seen = seen or Seen()
    return {
        "id": entity.id,
        "schema": ftm_schema(entity.schema),
        "caption": entity.caption,
        "properties": ftm_properties(entity),
        "datasets": ftm_datasets(entity.datasets),
        "referents": list(referents or (entity.id,)),
        "target": True,
        "first_seen": yente_timestamp(seen.first_seen),
        "last_seen": yente_timestamp(seen.last_seen),
        "last_change": yente_timestamp(seen.last_change),
    }


def ftm_datasets(names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        ftm = ftm_dataset_name(name)
        if ftm and ftm not in out:
            out.append(ftm)
    return out


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Generated from followthemoney 4.11 (non-entity, non-stub properties of each schema).
FTM_PROPERTIES: dict[str, frozenset[str]] = {
    "Person": _words(
        """
        abbreviation address alephUrl alias appearance biography birthCountry birthDate
        birthPlace brightQueryId brightQueryOrgId bvdId citizenship classification country
        createdAt deathDate description dissolutionDate dunsCode education email ethnicity
        eyeColor fatherName firstName gender hairColor height icijId idNumber incorporationDate
        indexText innCode jurisdiction keywords lastName legalForm leiCode licenseNumber
        mainCountry middleName modifiedAt motherName name nameSuffix nationality notes npiCode
        ogrnCode okpoCode okvedCode opencorporatesUrl passportNumber phone political position
        previousName profession program programId publisher publisherUrl registrationNumber
        religion retrievedAt sayariId secondName sector socialSecurityNumber sourceUrl
        spokenLanguage status summary swiftBic taxNumber taxStatus title topics uniqueEntityId
        uscCode vatCode weakAlias website weight wikidataId wikipediaUrl
        """
    ),
    "Organization": _words(
        """
        abbreviation address alephUrl alias brightQueryId brightQueryOrgId bvdId cageCode
        classification country createdAt description dissolutionDate dunsCode email giiNumber
        icijId idNumber imoNumber incorporationDate indexText innCode jurisdiction keywords
        legalForm leiCode licenseNumber mainCountry modifiedAt name notes npiCode ogrnCode
        okpoCode okvedCode opencorporatesUrl permId phone previousName program programId
        publisher publisherUrl registrationNumber retrievedAt sayariId sector sourceUrl status
        summary swiftBic taxNumber taxStatus topics uniqueEntityId uscCode vatCode weakAlias
        website wikidataId wikipediaUrl
        """
    ),
    "Company": _words(
        """
        abbreviation address alephUrl alias amount amountEur amountUsd bikCode brightQueryId
        brightQueryOrgId bvdId caemCode cageCode capital cikCode classification coatoCode
        country createdAt currency description dissolutionDate dunsCode email fnsCode fssCode
        giiNumber icijId idNumber imoNumber incorporationDate indexText innCode ipoCode irsCode
        isinCode jibCode jurisdiction keywords kppCode legalForm leiCode licenseNumber
        mainCountry mbsCode modifiedAt name notes npiCode ogrnCode okopfCode okpoCode oksmCode
        okvedCode opencorporatesUrl permId pfrNumber phone previousName program programId
        publisher publisherUrl registrationNumber retrievedAt ricCode sayariId sector sourceUrl
        status summary swiftBic taxNumber taxStatus ticker topics uniqueEntityId uscCode vatCode
        voenCode weakAlias website wikidataId wikipediaUrl
        """
    ),
    "LegalEntity": _words(
        """
        abbreviation address alephUrl alias brightQueryId brightQueryOrgId bvdId classification
        country createdAt description dissolutionDate dunsCode email icijId idNumber
        incorporationDate indexText innCode jurisdiction keywords legalForm leiCode
        licenseNumber mainCountry modifiedAt name notes npiCode ogrnCode okpoCode okvedCode
        opencorporatesUrl phone previousName program programId publisher publisherUrl
        registrationNumber retrievedAt sayariId sector sourceUrl status summary swiftBic
        taxNumber taxStatus topics uniqueEntityId uscCode vatCode weakAlias website wikidataId
        wikipediaUrl
        """
    ),
    "Vessel": _words(
        """
        address alephUrl alias amount amountEur amountUsd buildDate callSign country createdAt
        crsNumber currency deadweightTonnage deregistrationDate description flag
        grossRegisteredTonnage imoNumber indexText keywords mmsi model modifiedAt name
        nameChangeDate navigationArea notes pastFlags pastTypes previousName program programId
        publisher publisherUrl registrationDate registrationNumber registrationPort retrievedAt
        sourceUrl summary tonnage topics type weakAlias wikidataId wikipediaUrl
        """
    ),
    "Airplane": _words(
        """
        address alephUrl alias amount amountEur amountUsd buildDate country createdAt currency
        deregistrationDate description icaoCode indexText keywords manufacturer model modifiedAt
        name notes previousName program programId publisher publisherUrl registrationDate
        registrationNumber retrievedAt serialNumber sourceUrl summary topics type weakAlias
        wikidataId wikipediaUrl
        """
    ),
}

# Entity-valued properties of each schema (adjacent entities hang off these), from followthemoney 4.11.
FTM_ENTITY_PROPERTIES: dict[str, frozenset[str]] = {
    "Person": _words(
        """
        addressEntity agencyClient agentRepresentation associates associations callForTenders
        callsMade callsReceived candidateSimilars contractAuthority contractAwardSupplier
        controlledEntities controllingEntities courtCase cryptoWallets debtCreditor debtDebtor
        delegatedCallForTenders directorshipDirector documentedBy economicActivityDeclarant
        economicActivityHolder economicActivityReceiver economicActivitySender emailsReceived
        emailsSent employers eventsInvolved eventsOrganized familyPerson familyRelative
        identification images matchSimilars membershipMember mentionedBy messagesReceived
        messagesSent noteEntities operatedVehicles ownedVehicles ownershipOwner parent
        paymentBeneficiary paymentPayer positionOccupancies predecessors projectParticipation
        proof riskSource risks sanctions securities subsidiaries successors taxRolls
        unknownLinkFrom unknownLinkTo userAccounts
        """
    ),
    "Organization": _words(
        """
        addressEntity agencyClient agentRepresentation bankAccounts callForTenders callsMade
        callsReceived candidateSimilars contractAuthority contractAwardSupplier
        controlledEntities controllingEntities courtCase cryptoWallets debtCreditor debtDebtor
        delegatedCallForTenders directorshipDirector directorshipOrganization documentedBy
        economicActivityDeclarant economicActivityHolder economicActivityReceiver
        economicActivitySender emailsReceived emailsSent employees eventsInvolved
        eventsOrganized identification matchSimilars membershipMember membershipOrganization
        mentionedBy messagesReceived messagesSent noteEntities operatedVehicles ownedVehicles
        ownershipOwner parent paymentBeneficiary paymentPayer positions predecessors
        projectParticipation proof riskSource risks sanctions securities subsidiaries successors
        taxRolls unknownLinkFrom unknownLinkTo userAccounts
        """
    ),
    "Company": _words(
        """
        addressEntity agencyClient agentRepresentation bankAccounts callForTenders callsMade
        callsReceived candidateSimilars contractAuthority contractAwardSupplier
        controlledEntities controllingEntities courtCase cryptoWallets debtCreditor debtDebtor
        delegatedCallForTenders directorshipDirector directorshipOrganization documentedBy
        economicActivityDeclarant economicActivityHolder economicActivityReceiver
        economicActivitySender emailsReceived emailsSent employees eventsInvolved
        eventsOrganized identification matchSimilars membershipMember membershipOrganization
        mentionedBy messagesReceived messagesSent noteEntities operatedVehicles ownedVehicles
        ownershipAsset ownershipOwner parent paymentBeneficiary paymentPayer positions
        predecessors projectParticipation proof riskSource risks sanctions securities
        subsidiaries successors taxRolls unknownLinkFrom unknownLinkTo userAccounts
        """
    ),
    "LegalEntity": _words(
        """
        addressEntity agencyClient agentRepresentation callForTenders callsMade callsReceived
        candidateSimilars contractAuthority contractAwardSupplier controlledEntities
        controllingEntities courtCase cryptoWallets debtCreditor debtDebtor
        delegatedCallForTenders directorshipDirector documentedBy economicActivityDeclarant
        economicActivityHolder economicActivityReceiver economicActivitySender emailsReceived
        emailsSent eventsInvolved eventsOrganized identification matchSimilars membershipMember
        mentionedBy messagesReceived messagesSent noteEntities operatedVehicles ownedVehicles
        ownershipOwner parent paymentBeneficiary paymentPayer predecessors projectParticipation
        proof riskSource risks sanctions securities subsidiaries successors taxRolls
        unknownLinkFrom unknownLinkTo userAccounts
        """
    ),
    "Vessel": _words(
        """
        addressEntity candidateSimilars courtCase declaredCustoms documentedBy matchSimilars
        noteEntities operator owner ownershipAsset proof riskSource risks sanctions
        tripsInvolved unknownLinkFrom unknownLinkTo
        """
    ),
    "Airplane": _words(
        """
        addressEntity candidateSimilars courtCase declaredCustoms documentedBy matchSimilars
        noteEntities operator owner ownershipAsset proof riskSource risks sanctions
        tripsInvolved unknownLinkFrom unknownLinkTo
        """
    ),
}
