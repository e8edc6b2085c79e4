"""Correct translations that tq misread as errors on clean news (issue 26's patterns), in sentences of our own:
none of them may raise a major or critical finding."""
from __future__ import annotations

import pytest

import tq

CLEAN = [
    # a paraphrase: the words differ, the meaning does not
    ("La proposta è attualmente oggetto di discussione in commissione.", "The proposal is being considered in committee."),
    ("Il progetto è ancora oggetto di discussione tra i soci.", "The partners are still discussing the plan."),
    # an acronym for a phrase
    ("Ogni membro dell'Assemblea ha ricevuto la lettera.", "Every AM received the letter."),
    ("È detenuto nel carcere maschile di massima sicurezza di Belmarsh.", "He is held at HMP Belmarsh."),
    # «non» inside an idiom
    ("Non vedo l'ora di tornare a lavorare con la squadra.", "I am keen to get back to work with the team."),
    ("Nel caso non foste in grado di votare, potete delegare un familiare.",
     "If you're incapacitated, you can appoint a relative to vote for you."),
    ("Certamente la decisione avrà conseguenze per tutti.", "No doubt the decision will have consequences for all."),
    ("L'associazione non profit ha raccolto nuovi fondi.", "The nonprofit association raised new funds."),
    # a time written "am" is no verb
    ("Il treno è partito alle 4.40 del mattino.", "The train left at 4.40 am."),
    ("La scossa è stata avvertita alle 5.10 del mattino.", "The tremor was felt at 5.10 am."),
    # «né … né»
    ("Né il sindaco né il prefetto hanno commentato la notizia.", "Neither the mayor nor the prefect commented on the news."),
    ("Non hanno chiamato né la polizia né i vigili del fuoco.", "They called neither the police nor the fire brigade."),
    # an imperative English says with a negation
    ("Ricordatevi di portare un documento d'identità all'imbarco.", "Don't forget to bring an identity document when boarding."),
    # a litotes: the translation denies the opposite of what the source says
    ("In quelle settimane il sole resta sotto l'orizzonte.", "In those weeks the sun doesn't rise above the horizon."),
    ("La frana ha reso difficile il ritorno degli sfollati.", "The landslide means the evacuees can't easily return."),
    # a «non» that cancels a negative prefix, said in English by the unprefixed word
    ("Il comune ha stanziato i fondi perché le scuole non si trovino impreparate all'inverno.",
     "The council set aside the funds to help schools prepare for winter."),
    # English that negates without a negation word: "keep … from", "too … for"
    ("La rete permette ai pesci di non finire nelle eliche.", "The net keeps the fish from ending up in the propellers."),
    ("Il film è così lungo che non è adatto ai bambini.", "The film is too long for children."),
    # an English litotes across an intensifier, and a question that asserts
    ("Era prevedibile che la gara venisse rinviata.", "It was not entirely unexpected that the race was postponed."),
    ("«Che notizia meravigliosa», ha detto il sindaco.", "\"Isn't that wonderful news,\" said the mayor."),
    # a rhetorical question for a statement of the other polarity, and the reverse
    ("Non si può trattare una persona in questo modo.", "You're going to treat someone like that?"),
    ("Nessuno sapeva che sarebbe finita così.", "Who knew it would end like this?"),
    ("Chi avrebbe mai pensato a una vittoria simile?", "Nobody would have expected such a win."),
    # «non … che» after «potere», «restare», «fare» is "only", which a rhetorical question may say with a "not"
    ("Con risultati simili, non posso che essere fiducioso sul futuro.", "With results like these, how can I not be hopeful about the future?"),
    ("Ora non resta che aspettare la sentenza.", "Now all that is left is to wait for the ruling."),
    # a capitalised Italian common word (an institution, an acronym) rendered by a common English word
    ("Lo ha confermato ieri la Procura in una nota.", "The prosecution confirmed it yesterday in a statement."),
    ("Gli utenti inviano ogni giorno milioni di SMS.", "Users send millions of text messages every day."),
    # a name the source writes as two words and English as one
    ("La Deutsche Bank e la West LB hanno firmato l'accordo ieri sera.", "Deutsche Bank and WestLB signed the agreement last night."),
    # an acronym the English keeps and spells out in brackets
    ("Le azioni della CEZ hanno raggiunto quasi la metà degli scambi di ieri.",
     "Shares of the Czech Energy Enterprise (CEZ) reached nearly half of yesterday's trading."),
    # an acronym Italian writes as a word, spelt out in English
    ("Il Nyt definisce la crisi un paradosso.", "The New York Times calls the crisis a paradox."),
    # a form that is also a feminine plural («signore»: ladies, not only lord)
    ("Alla cerimonia erano presenti molte signore eleganti.", "Many elegant ladies attended the ceremony."),
    # one English word for a dictionary entry of several Italian ones
    ("La difesa era già stata sfondata; l'unica opzione era ritirarsi e riorganizzarsi lungo la testa di ponte romena.",
     "The defence was already broken, and the only hope was to retreat and regroup along the Romanian bridgehead."),
]


@pytest.mark.parametrize("source, target", CLEAN)
def test_a_correct_translation_raises_nothing_serious(source, target):
    report = tq.check_pairs([source], [target], verify_languages=False)
    serious = [(f.check, f.severity, target[f.start:f.end], f.message) for p in report.pairs for f in p.findings
               if f.severity in ("major", "critical")]
    assert serious == []


def test_a_litotes_does_not_hide_a_flipped_negation():
    """The litotes rule reads the other side's words: "doesn't rise above" for «resta sopra» still says the opposite."""
    source, target = "In quelle settimane il sole resta sopra l'orizzonte.", "In those weeks the sun doesn't stay above the horizon."
    report = tq.check_pairs([source], [target], verify_languages=False)
    assert [f.check for p in report.pairs for f in p.findings if f.severity in ("major", "critical")] == ["negation"]


def test_a_common_noun_capitalised_is_a_name_only_inside_the_name_it_belongs_to():
    """The exonym table has «Paesi» (countries) for «Paesi Bassi»; Italian news capitalises «Paesi» alone too."""
    from tq.checks.lexical import _proper_name
    from tq.lexicon import tokens

    for text, name in (("L'accordo è stato firmato da molti Paesi dell'area.", False),
                       ("Il ministro ha visitato i Paesi Bassi la settimana scorsa.", True)):
        word = next(w for w in tokens(text) if w.text == "Paesi")
        assert _proper_name(word, text, "it") is name


def test_a_name_of_common_words_is_still_a_name():
    """«Paesi» alone is a common noun; «Paesi Bassi» is a name, and dropping it is still an error."""
    source = "Il ministro ha visitato i Paesi Bassi la settimana scorsa."
    report = tq.check_pairs([source] * 2, ["The minister visited last week.", "The minister visited Belgium last week."],
                            verify_languages=False)
    checks = [[f.check for f in p.findings if f.severity in ("major", "critical")] for p in report.pairs]
    assert checks == [["missing-name"], ["wrong-name"]]


def test_a_rare_name_is_not_rendered_by_whatever_the_tables_pair_it_with():
    """The tables render a capitalised word only where it is common in Italian: a rare name they saw once («Kowloon»,
    beside "waterfront") still goes missing when the English drops it."""
    source, target = "Il sindaco di Kowloon ha parlato ieri con i giornalisti.", "The mayor spoke to journalists yesterday."
    report = tq.check_pairs([source], [target], verify_languages=False)
    assert [f.check for p in report.pairs for f in p.findings if f.severity in ("major", "critical")] == ["missing-name"]


def test_dont_forget_for_a_source_that_says_forget_is_still_a_flip():
    """"Don't forget" says remember; where the source says «dimenticate», it says the opposite."""
    source, target = "Dimenticate di portare un documento d'identità all'imbarco.", "Don't forget to bring an identity document when boarding."
    report = tq.check_pairs([source], [target], verify_languages=False)
    assert [f.check for p in report.pairs for f in p.findings if f.severity in ("major", "critical")] == ["negation"]


def test_an_attribution_frame_is_rendered_by_according_to():
    """«secondo quanto affermano» is "according to": its «quanto» and its verb are no omission, not even a minor one."""
    source, target = ("I bambini restano in media due mesi nei centri, secondo quanto affermano i volontari.",
                      "Children stay in the centres for two months on average, according to volunteers.")
    report = tq.check_pairs([source], [target], verify_languages=False)
    assert [f.message for p in report.pairs for f in p.findings if f.check == "lexical-omission"] == []


def test_an_attribution_the_english_drops_is_still_an_omission():
    """«secondo quanto riferito» is rendered by "according to"; with no attribution at all, it is lost."""
    source, target = "Il sindaco si è dimesso ieri sera, secondo quanto riferito dai media locali.", "The mayor resigned last night."
    report = tq.check_pairs([source], [target], verify_languages=False)
    assert "lexical-omission" in {f.check for p in report.pairs for f in p.findings if f.severity in ("major", "critical")}


def test_too_for_a_source_that_says_troppo_is_still_a_flip():
    """"too … for" stands for a «non» only where the source has no «troppo» of its own for "too" to render."""
    source, target = "Il film non è troppo lungo per i bambini.", "The film is too long for children."
    report = tq.check_pairs([source], [target], verify_languages=False)
    assert [f.check for p in report.pairs for f in p.findings if f.severity in ("major", "critical")] == ["negation"]


@pytest.mark.parametrize("source, target", [
    ("Il ministro ha firmato il decreto.", "The minister signed the decree?"),  # a question mark, the polarity kept
    ("Il ministro ha firmato il decreto?", "The minister didn't sign the decree."),  # a yes/no question answered no
])
def test_a_question_that_is_no_rhetorical_one_is_still_major(source, target):
    report = tq.check_pairs([source], [target], verify_languages=False)
    assert "question-mark" in [f.check for p in report.pairs for f in p.findings if f.severity in ("major", "critical")]


def test_non_posso_credere_che_is_still_a_negation():
    """«non posso che» is "can only"; «non posso credere che» is a negation like any other."""
    report = tq.check_pairs(["Non posso credere che sia finita."], ["I can believe it is over."], verify_languages=False)
    assert [f.check for p in report.pairs for f in p.findings if f.severity in ("major", "critical")] == ["negation"]


def test_a_negated_verb_with_a_prefix_like_start_is_still_a_flip():
    """«non indica» negates the verb: "in" + "dica" is no prefixed word, so "says" does not cancel the «non»."""
    report = tq.check_pairs(["Il rapporto non indica le cause dell'incidente."], ["The report says the causes of the accident."],
                            verify_languages=False)
    assert [f.check for p in report.pairs for f in p.findings if f.severity in ("major", "critical")] == ["negation"]
