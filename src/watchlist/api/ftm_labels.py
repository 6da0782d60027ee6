"""FollowTheMoney names the yente API reads and writes, as data: schema names and the schemata of ours
that each covers (a schema and its descendants, as yente filters `schema=`), schema plurals and topic
captions (yente's facet labels). Taken from followthemoney 4.11 (`model.schemata`, `registry.topic.names`),
which is a test dependency only."""

from __future__ import annotations

# Every FtM schema name: yente accepts any of them as `schema=` (a 400 only for a name FtM does not know).
FTM_SCHEMATA: frozenset[str] = frozenset(
    (
        "Address", "Airplane", "Analyzable", "Article", "Asset", "Associate", "Audio", "BankAccount",
        "Call", "CallForTenders", "Company", "Contract", "ContractAward", "Control", "CourtCase",
        "CourtCaseParty", "CryptoWallet", "Debt", "Directorship", "Document", "Documentation",
        "EconomicActivity", "Email", "Employment", "Event", "Family", "Folder", "HyperText",
        "Identification", "Image", "Interest", "Interval", "LegalEntity", "License", "Membership",
        "Mention", "Message", "Note", "Occupancy", "Organization", "Ownership", "Package", "Page",
        "Pages", "Passport", "Payment", "Person", "PlainText", "Position", "Project",
        "ProjectParticipant", "PublicBody", "RealEstate", "Representation", "Risk", "Sanction",
        "Security", "Similar", "Succession", "Table", "TaxRoll", "Territory", "Thing", "Trip",
        "UnknownLink", "UserAccount", "Value", "Vehicle", "Vessel", "Video", "Workbook",
    )
)

# The FtM schemata of our entities a `schema` filter takes, as yente's search filter: the schema, those
# FtM matches it with (`matchable_schemata`), and, for one never matched itself (`Asset`, `Thing`), its
# descendants. Others take none. (tests/api/test_yente_audit.py checks this against FtM's model.)
SCHEMA_COVERS: dict[str, frozenset[str]] = {
    "Airplane": frozenset(("Airplane",)),
    "Asset": frozenset(("Company", "Vessel", "Airplane")),
    "Company": frozenset(("Company", "Organization", "LegalEntity")),
    "LegalEntity": frozenset(("Person", "Organization", "Company", "LegalEntity", "PublicBody")),
    "Organization": frozenset(("Organization", "Company", "PublicBody", "LegalEntity")),
    "Person": frozenset(("Person", "LegalEntity")),
    "PublicBody": frozenset(("PublicBody", "Organization", "LegalEntity")),
    "Thing": frozenset(("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane", "PublicBody")),
    "Value": frozenset(("Company", "Vessel", "Airplane")),
    "Vehicle": frozenset(("Vessel", "Airplane")),
    "Vessel": frozenset(("Vessel",)),
}

# yente labels a `schema` facet value with the schema's plural.
SCHEMA_PLURALS: dict[str, str] = {
    "Person": "People",
    "Organization": "Organizations",
    "Company": "Companies",
    "LegalEntity": "Legal entities",
    "Vessel": "Vessels",
    "Airplane": "Airplanes",
    "PublicBody": "Public bodies",
}

# yente labels a `topics` facet value with the topic's caption.
TOPIC_LABELS: dict[str, str] = {
    "crime": "Crime",
    "crime.fraud": "Fraud",
    "crime.cyber": "Cybercrime",
    "crime.fin": "Financial crime",
    "crime.env": "Environmental violations",
    "crime.theft": "Theft",
    "crime.war": "War crimes",
    "crime.boss": "Criminal leadership",
    "crime.terror": "Terrorism",
    "crime.traffick": "Trafficking",
    "crime.traffick.drug": "Drug trafficking",
    "crime.traffick.human": "Human trafficking",
    "forced.labor": "Forced labor",
    "asset.frozen": "Frozen asset",
    "wanted": "Wanted",
    "corp.offshore": "Offshore",
    "corp.shell": "Shell company",
    "corp.public": "Public listed company",
    "corp.disqual": "Disqualified",
    "corp.clone": "Clone of real entity",
    "gov": "Government",
    "gov.national": "National government",
    "gov.state": "State government",
    "gov.muni": "Municipal government",
    "gov.soe": "State-owned enterprise",
    "gov.igo": "Intergovernmental organization",
    "gov.head": "Head of government or state",
    "gov.admin": "Civil service",
    "gov.executive": "Executive branch of government",
    "gov.legislative": "Legislative branch of government",
    "gov.judicial": "Judicial branch of government",
    "gov.security": "Security services",
    "gov.financial": "Central banking and financial integrity",
    "gov.religion": "Religious leadership",
    "fin": "Financial services",
    "fin.bank": "Bank",
    "fin.fund": "Fund",
    "fin.adivsor": "Financial advisor",
    "mare.detained": "Maritime detention",
    "mare.shadow": "Shadow fleet",
    "mare.sts": "Ship-to-ship transfer",
    "reg.action": "Regulator action",
    "reg.warn": "Regulator warning",
    "role.pep": "PEP",
    "role.pep.frmr": "Former PEP",
    "role.pep.intl": "International PEP",
    "role.pep.natl": "National PEP",
    "role.pol": "Politician",
    "role.rca": "Close Associate",
    "role.judge": "Judge",
    "role.civil": "Civil servant",
    "role.diplo": "Diplomat",
    "role.lawyer": "Lawyer",
    "role.acct": "Accountant",
    "role.spy": "Spy",
    "role.oligarch": "Oligarch",
    "role.journo": "Journalist",
    "role.act": "Activist",
    "role.lobby": "Lobbyist",
    "pol.party": "Political party",
    "pol.union": "Union",
    "rel": "Religion",
    "mil": "Military",
    "sanction": "Sanctioned",
    "sanction.linked": "Sanction-linked",
    "sanction.control": "Sanction ownership or control",
    "sanction.counter": "Counter-sanctioned",
    "export.control": "Export controlled",
    "export.control.linked": "Export control-linked",
    "export.risk": "Trade risk",
    "invest.risk": "Investment risk",
    "invest.ban": "Investment ban",
    "geo.risk": "High-risk area",
    "debarment": "Debarred",
    "poi": "Person of interest",
}

# The titles of the lists this engine reads (yente's catalog `title`, and the label of a `datasets` facet value).
DATASET_TITLES: dict[str, str] = {
    "un": "UN Security Council Consolidated List",
    "ofac_sdn": "US OFAC Specially Designated Nationals (SDN) List",
    "ofac_cons": "US OFAC Consolidated (non-SDN) List",
    "eu": "EU Financial Sanctions Files (FSF)",
    "uk": "UK Sanctions List (OFSI / FCDO)",
}
