"""Names from locale data (issue 20): CLDR's country, language and city names, English exonyms, other spellings of
one name, a source that misspells a name, and one finding for one error. Sentences written here."""
from __future__ import annotations

import pytest

import tq
from tq.checks.names import spelling_key
from tq.lexicon import cldr_names, exonym_phrases, exonyms
from tq.text import bundled_table

NAME_CHECKS = {"names", "wrong-name", "missing-name"}


def findings(source: str, target: str):
    report = tq.check_pairs([source], [target], lm="none", mt="none", verify_languages=False, calibrate=False)
    return report.pairs[0].findings


def serious(source: str, target: str) -> list[tuple[str, str, str]]:
    """Findings above minor: (check, severity, flagged English)."""
    return [(f.check, f.severity, target[f.start:f.end]) for f in findings(source, target) if f.rank >= 2]


# ---------------------------------------------------------------- the table


def test_cldr_gives_countries_languages_their_adjectives_and_cities():
    table = exonyms()
    assert {"Netherlands", "Dutch"} <= set(table["Paesi Bassi"])
    assert {"Côte d'Ivoire", "Ivory Coast"} <= set(table["Costa d'Avorio"]) and "Ivory Coast" in table["Costa d’Avorio"]
    assert table["tedesche"] == ("German",) and "Hungarian" in table["ungheresi"]
    assert {"Denmark", "Danish"} <= set(table["Danimarca"]) and "Kenyan" in table["Kenya"]
    assert "Nigerian" in table["Nigeria"] and "Nigerian" not in table["Niger"]  # the longest stem's adjective
    assert "Switzerland" in table["Schweiz"] and "Germany" in table["Deutschland"]  # the countries' own names
    assert table["Wien"] == ("Vienna",) and "Kolkata" in table["Calcutta"]  # cities CLDR names for time zones
    assert "Bosnia-Herzegovina" in table["Bosnia-Erzegovina"]


def test_the_hand_table_holds_only_what_cldr_lacks():
    cldr = cldr_names()
    for name, *renderings in bundled_table("exonyms.it-en.tsv"):
        assert not set(renderings) <= set(cldr.get(name, ())), f"{name}: CLDR already gives {renderings}"


def test_names_of_several_words_are_found_in_any_case_after_their_capital():
    text = "Il governo dei Paesi Bassi ha scritto all'Unione europea e alla Sassonia-Anhalt."
    assert [text[start:end] for start, end, _ in exonym_phrases(text)] == ["Paesi Bassi", "Unione europea", "Sassonia-Anhalt"]


def test_other_romanisations_meet_in_one_key_and_misspellings_do_not():
    for a, b in [("Loukachenko", "Lukashenko"), ("Iouri", "Yuri"), ("Miroslaw", "Miroslav"), ("Wuerttemberg", "Württemberg"),
                 ("Harbour", "Harbor"), ("Telefónika", "Telefonica")]:
        assert spelling_key(a) == spelling_key(b), (a, b)
    for a, b in [("Antony", "Anthony"), ("Schwarzenegger", "Schwarzeneger"), ("Tracey", "Tracy")]:
        assert spelling_key(a) != spelling_key(b), (a, b)


# ---------------------------------------------------------------- correct English: nothing above minor


@pytest.mark.parametrize("source, target", [
    # straits, mountains, seas and regions by their English exonyms or a description
    ("Le petroliere hanno ripreso a passare dal Bosforo.", "Oil tankers have started passing through the Bosphorus again."),
    ("Una frana ha bloccato la strada sui Pirenei.", "A landslide blocked the road in the Pyrenees."),
    ("I lupi sono tornati sugli Appennini.", "Wolves have returned to the Apennine mountains."),
    ("Le piogge hanno allagato la Renania.", "The rains flooded the Rhineland."),
    ("Il governatore della Sassonia si è dimesso.", "The governor of Saxony resigned."),
    ("La Vallonia ha votato contro il trattato.", "Wallonia voted against the treaty."),
    ("Un traghetto si è incagliato nello Stretto di Hormuz.", "A ferry ran aground in the Strait of Hormuz."),
    ("La Costa d'Avorio ha chiuso le frontiere.", "Ivory Coast has closed its borders."),
    ("I Paesi Bassi hanno vinto la partita.", "The Netherlands won the match."),
    ("Il ministro parla anche l'ungherese.", "The minister also speaks Hungarian."),
    # adjectives of the name
    ("Il parlamento del Tirolo ha approvato la legge.", "The Tyrolean parliament passed the law."),
    ("Gli abitanti della Baviera hanno votato ieri.", "Bavarians voted yesterday."),
    # a place the source gives in a third language
    ("Lo stadio di Wien era pieno.", "The Vienna stadium was full."),
    ("Il duomo di Köln è stato restaurato.", "Cologne cathedral has been restored."),
    ("Il presidente Loukachenko ha parlato in televisione.", "President Lukashenko spoke on television."),
    ("Il portavoce Iwan Petrow ha confermato la notizia.", "Spokesman Ivan Petrov confirmed the news."),
    # a name spelt out in the English
    ("La FAO ha lanciato un appello.", "The Food and Agriculture Organization has issued an appeal."),
    # a name kept as the acronym the source gives after it; an acronym's letters in another order; a decade
    ("Ha parlato il presidente dell'Associazione Nazionale Costruttori Edili (ANCE).", "The president of ANCE spoke."),
    ("Gli investimenti nell'IA sono raddoppiati.", "Investment in A.I. has doubled."),
    ("Si sono conosciuti negli anni Settanta a Torino.", "They met in the 1970s in Turin."),
    # first names Italian translates, institutions by their seats, Italian and English plurals of a name
    ("Papa Benedetto ha scritto una lettera ai fedeli.", "Pope Benedict wrote a letter to the faithful."),
    ("La Farnesina ha convocato l'ambasciatore.", "The Foreign Ministry summoned the ambassador."),
    ("Il porto fu usato dai Fenici e dai Merenidi.", "The port was used by the Phoenicians and the Merenids."),
    # hyphenated and split names written otherwise
    ("Le elezioni in Emilia-Romagna si terranno in autunno.", "The elections in Emilia Romagna will be held in autumn."),
    ("Il consiglio del Südtirol ha votato.", "The council of Sud Tyrol voted."),
])
def test_a_name_rendered_by_a_known_english_form_is_no_error(source, target):
    assert serious(source, target) == []


@pytest.mark.parametrize("source, target, english", [
    ("Il concerto di Bethoven ha chiuso la stagione.", "The Beethoven concert closed the season.", "Beethoven"),
    ("La cancelliera Merker ha parlato a lungo.", "Chancellor Merkel spoke at length.", "Merkel"),
])
def test_a_name_the_source_misspells_is_at_most_a_minor_note_without_a_fix(source, target, english):
    found = findings(source, target)
    assert [f for f in found if f.rank >= 2] == []
    note = [f for f in found if f.check == "names"]
    assert note and target[note[0].start:note[0].end] == english and note[0].suggestion is None


# ---------------------------------------------------------------- errors that must stay


@pytest.mark.parametrize("source, target", [
    ("Il discorso di Schwarzenegger è stato applaudito a lungo.", "Schwarzeneger's speech was applauded at length."),
    ("Il treno per Torino è partito con due ore di ritardo.", "The train to Milan left two hours late."),
    ("Le proteste sono continuate in Bulgaria e in Romania.", "The protests continued in Bulgaria."),
    ("Il premier austriaco è arrivato in Slovenia.", "The Austrian premier arrived in Slovakia."),
])
def test_a_misspelt_replaced_or_dropped_name_is_still_flagged(source, target):
    assert [f for f in serious(source, target) if f[0] in NAME_CHECKS]


def test_one_hyphenated_name_replaced_is_one_finding():
    source = "Le elezioni in Emilia-Romagna si terranno in autunno."
    target = "The elections in Aemilia-Romandiola will be held in autumn."
    found = serious(source, target)
    assert len(found) == 1 and found[0][2] == "Aemilia-Romandiola"


def test_a_replaced_name_is_one_finding_that_names_both_checks():
    found = findings("Il treno per Torino è partito con due ore di ritardo.", "The train to Milan left two hours late.")
    serious_findings = [f for f in found if f.rank >= 2]
    assert len(serious_findings) == 1 and {serious_findings[0].check, *serious_findings[0].also} == {"wrong-name", "missing-name"}
