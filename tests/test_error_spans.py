"""Where a finding stands: on the words an editor must change, for the errors the error suite found misplaced.

Sentences written here (none copied). The checks' own severities (``calibrate=False``): the spans are the
checks' business, the severities the judge's.
"""
from __future__ import annotations

import pytest

import tq


def findings(source: str, target: str, check: str):
    report = tq.check_pairs([source], [target], lm="none", mt="none", verify_languages=False, calibrate=False)
    p = report.pairs[0]
    return [(p.target[f.start:f.end], f) for f in p.findings if check in (f.check, *f.also)]


@pytest.mark.parametrize("source,target,where", [
    ("Questa non è la prima volta che il museo chiude per un restauro.",
     "This is the first time the museum has closed for a restoration.", "is"),
    ("Il comune ha spiegato che la strada non sarà riaperta prima di giugno.",
     "The council explained that the road will be reopened before June.", "will"),
])
def test_a_lost_negation_is_marked_where_english_puts_its_not(source, target, where):
    spans = [span for span, _ in findings(source, target, "negation")]
    assert spans and any(span.startswith(where) for span in spans), spans


def test_a_common_word_standing_in_for_a_name_is_marked():
    spans = findings("Gli scavi hanno riportato alla luce una villa romana vicino a Paestum e Velia.",
                     "The excavations unearthed a Roman villa near Paestum and Market.", "missing-name")
    assert [span for span, _ in spans] == ["Market"]


def test_a_name_written_in_lower_case_is_a_minor_finding_with_its_capital():
    found = findings("Ieri sera Ibrahimović ha segnato due gol contro il Benevento.",
                     "Last night ibrahimović scored two goals against Benevento.", "name-case")
    assert [(span, f.severity, f.suggestion) for span, f in found] == [("ibrahimović", "minor", "Ibrahimović")]


@pytest.mark.parametrize("source,target", [
    ("Ha comprato un servizio di porcellana a Torino.", "He bought a china service in Turin."),  # a common word
    ("Scrivete a redazione@giornale.it per segnalare errori.", "Write to redazione@giornale.it to report errors."),
])
def test_common_words_and_addresses_are_no_name_case_finding(source, target):
    assert not findings(source, target, "name-case")


def raw(source: str, target: str):
    p = tq.check_pairs([source], [target], lm="none", mt="none", verify_languages=False, calibrate=False).pairs[0]
    return [(f.check, f.severity, p.target[f.start:f.end]) for f in p.findings]


# Correct English that the checks flagged on clean news (the patterns, in sentences written here): each is no
# finding at all for the check named.
@pytest.mark.parametrize("check,source,target", [
    ("antonym", "Gli alberghi più economici della costa sono già pieni.", "The least expensive hotels on the coast are already full."),
    ("antonym", "Il romanzo mostra un lato sconosciuto dell'autore.", "The novel shows a little known side of the author."),
    ("antonym", "La crisi divora i risparmi delle famiglie.", "The crisis is eating up families' savings."),
    ("antonym", "Il partito ha votato una legge antidemocratica.", "The party passed an anti-democratic law."),
    ("antonym", "Ha pubblicato la foto su Instagram ieri sera.", "She posted the photo up on Instagram last night."),
    ("negation", "Non è solo una questione di soldi.", "It is not just a question of money."),
    ("negation", "Non molto tempo fa il ponte è stato chiuso.", "Not long ago the bridge was closed."),
    ("negation", "No, no, il sindaco non c'era.", "No, no, the mayor wasn't there."),
    ("negation", "Molti elettori non vengono informati correttamente.", "Many voters are misinformed."),
    ("negation", "Nessuno ci aveva mai spiegato nulla del contratto.", "No one had ever explained the contract to us."),
    ("negation", "Restiamo qui finché la pioggia non smette.", "We stay here until the rain stops."),
    ("negation", "Oggi è più stanco di quanto non fosse ieri.", "Today he is more tired than he was yesterday."),
    ("negation", "Non vedo l'ora di rivedere la mia famiglia.", "I can't wait to see my family again."),
    ("negation", "Non riusciva a fare a meno di sorridere.", "She couldn't help smiling."),
    ("negation", "Le spiagge non sono solamente sabbia.", "The beaches aren't just sand."),
    ("negation", "L'ingresso è libero, a meno che non si voglia la guida.", "Entry is free unless you want the guide."),
    ("negation", "Si possono mangiare crudi, salvo che siano surgelati.", "They can be eaten raw unless they are frozen."),
    ("negation", "Per chi non abita in città: il mercato è in piazza.", "For those living outside the city: the market is in the square."),
    ("lexical-omission", "La riunione è finita poco prima delle 9 vicino al municipio.", "The meeting ended just before 9 near the town hall."),
    ("missing-name", "In Ungheria la disoccupazione è scesa al 4 per cento.", "Unemployment among Hungarians fell to 4 percent."),
])
def test_correct_english_draws_no_finding_from(check, source, target):
    assert not [f for f in raw(source, target) if f[0] == check]


def test_a_degree_word_turned_round_on_the_same_word_is_still_an_opposite():
    assert ("antonym", "critical", "less") in raw("Il nuovo modello è più costoso del vecchio.",
                                                 "The new model is less expensive than the old one.")


def test_a_quotation_in_guillemets_is_one_finding_whose_fix_changes_the_marks_alone():
    found = findings("«Il piano è pronto», ha detto la sindaca.", "«The plan is ready» the mayor said.", "quote-marks")
    assert [(span, f.suggestion) for span, f in found] == [("«The plan is ready»", "“The plan is ready”")]


def test_a_short_line_without_a_stop_may_be_a_headline_and_gets_no_fix():
    short = findings("Austria, svolta a destra.", "Austria swings to the right", "final-punctuation")
    assert [f.suggestion for _, f in short] == [None]
    long = findings("Il governo ha detto che le banche riceveranno altri aiuti entro la fine del mese prossimo, secondo il ministro.",
                    "The government said that the banks will receive more aid by the end of next month, according to the minister",
                    "final-punctuation")
    assert [f.suggestion for _, f in long] == ["."]


def test_a_name_with_inner_capitals_as_the_source_writes_it_is_no_lost_hyphen():
    assert not findings("Nel 2015 la BrightWave ha fondato una radio.", "In 2015 BrightWave founded a radio station.", "lost-hyphen")
    assert findings("Nel 2015 la Bright-Wave ha fondato una radio.", "In 2015 BrightWave founded a radio station.", "lost-hyphen")


def test_the_only_capitalised_stand_in_for_a_lost_name_is_marked_even_out_of_place():
    spans = findings("“Ci vediamo a marzo”, ha promesso Okonkwo.", "\"See you in March,\" Harvest promised.", "missing-name")
    assert [(span, f.severity) for span, f in spans] == [("Harvest", "major")]
