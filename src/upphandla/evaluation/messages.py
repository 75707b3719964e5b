"""Everything ``upphandla evaluate`` says, in Swedish and English: one constructor per message.

Each function returns a ``Text`` named for what it says; the modules that read forms, score
tenders and write the report pick a message here instead of spelling it out. Figures in a
message are written the Swedish way in both languages (``1 250 000``, ``1 250 000,50``), except
plain numbers such as points and per cent, which follow the language (``2,5`` and ``2.5``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from upphandla.selection.award_model import ValueWords
from upphandla.text import Language, Text

# ---------------------------------------------------------------------------------------------
# Figures


def format_amount(value: float | None, decimals: bool = True) -> str:
    """An amount in kronor: ``1 250 000``, ``1 250 000,50``, ``–`` for none."""
    if value is None:
        return "–"
    text = f"{value:,.0f}" if value.is_integer() or not decimals else f"{value:,.2f}"
    return text.replace(",", " ").replace(".", ",")


def format_number(value: float | None, language: Language) -> str:
    """Points or a percentage: ``2,5`` in Swedish, ``2.5`` in English, ``–`` for none."""
    if value is None:
        return "–"
    text = str(int(value)) if float(value).is_integer() else f"{value:g}"
    return text.replace(".", ",") if language == "sv" else text


def _joined(names: Sequence[str], word: str) -> str:
    """``A``, ``A och B``, ``A, B och C``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {word} {names[-1]}"


# ---------------------------------------------------------------------------------------------
# Reading a form: the file itself


def file_unreadable(reason: str | None) -> Text:
    """The operating system cannot read the file."""
    return Text(f"Filen går inte att läsa: {reason}", f"The file cannot be read: {reason}")


def encrypted_or_old_word_file() -> Text:
    return Text(
        "Filen är lösenordsskyddad (krypterad) eller en gammal Word-fil (.doc) och går inte att läsa.",
        "The file is password-protected (encrypted) or an old Word file (.doc) and cannot be read.",
    )


def ask_for_docx_without_password() -> Text:
    return Text(
        "Be leverantören om svarsbilagan som en .docx-fil utan lösenord.",
        "Ask the supplier for the form as a .docx file without a password.",
    )


def pdf_not_word_file() -> Text:
    return Text(
        "Filen är en PDF, inte en Word-fil. Svaren i en PDF kan inte läsas in.",
        "The file is a PDF, not a Word file. The answers in a PDF cannot be read.",
    )


def ask_for_docx() -> Text:
    return Text(
        "Be leverantören om svarsbilagan som .docx-fil.",
        "Ask the supplier for the form as a .docx file.",
    )


def damaged_word_file(detail: str) -> Text:
    return Text(
        f"Filen är skadad och går inte att öppna som Word-fil ({detail}).",
        f"The file is damaged and cannot be opened as a Word file ({detail}).",
    )


def ask_to_send_again() -> Text:
    return Text(
        "Be leverantören skicka svarsbilagan igen.",
        "Ask the supplier to send the form again.",
    )


def not_a_word_file() -> Text:
    return Text("Filen är ingen Word-fil (.docx).", "The file is not a Word file (.docx).")


def give_the_filled_in_forms() -> Text:
    return Text(
        "Ange de svarsbilagor (svarsbilaga.docx) som leverantörerna har fyllt i.",
        "Give the response forms (svarsbilaga.docx) that the suppliers filled in.",
    )


def no_answer_fields() -> Text:
    return Text(
        "Filen är ingen svarsbilaga från upphandla: den har inga svarsfält.",
        "The file is not a response form from upphandla: it has no answer fields.",
    )


def other_document(document: str) -> Text:
    """The file is another document from upphandla, not a response form."""
    return Text(
        f"Filen är inte en svarsbilaga utan dokumentet '{document}' från upphandla.",
        f"The file is not a response form but the document '{document}' from upphandla.",
    )


# ---------------------------------------------------------------------------------------------
# Reading a form: which procurement it belongs to


def no_form_id() -> Text:
    return Text(
        "Svarsbilagan saknar formulärets id, så det går inte att kontrollera att den hör till den här upphandlingen.",
        "The form has no form id, so it cannot be checked that it belongs to this procurement.",
    )


def compare_the_form_id() -> Text:
    return Text(
        "Jämför formulärets id på första sidan med det i er egen svarsbilaga.",
        "Compare the form id on the first page with the one in your own response form.",
    )


def other_procurement_title(form_title: str, title: str) -> Text:
    """A reason the form belongs elsewhere: the title of its procurement."""
    return Text(
        f"den gäller upphandlingen '{form_title}', inte '{title}'",
        f"it is for the procurement '{form_title}', not '{title}'",
    )


def other_library(form_library: str, library: str) -> Text:
    """A reason the form belongs elsewhere: the library it was made with."""
    return Text(
        f"den är gjord med kravbiblioteket '{form_library}', inte '{library}'",
        f"it was made with the library '{form_library}', not '{library}'",
    )


def other_library_version(form_version: str, version: str) -> Text:
    """A reason the form belongs elsewhere: the library version it was made with."""
    return Text(
        f"den är gjord med version {form_version} av kravbiblioteket, inte version {version}",
        f"it was made with version {form_version} of the library, not version {version}",
    )


def library_changed(version: str) -> Text:
    """A reason the form belongs elsewhere: the library's content, under the same version."""
    return Text(
        f"kravbiblioteket har ändrats sedan svarsbilagan gjordes (samma version {version}, annat innehåll)",
        f"the library has changed since the form was made (same version {version}, other content)",
    )


def made_for_another_procurement(reasons: Sequence[Text], found: str, expected: str) -> Text:
    """The form's id is not this procurement's, for the reasons given."""
    return Text(
        "Svarsbilagan är gjord för en annan upphandling eller en annan version av kravbiblioteket: "
        f"{'; '.join(reason.sv for reason in reasons)} (formulärets id är {found}, väntat {expected}).",
        "The form was made for another procurement or another library version: "
        f"{'; '.join(reason.en for reason in reasons)} (form id {found}, expected {expected}).",
    )


def made_from_other_answers(found: str, expected: str) -> Text:
    """The form's id is not this procurement's, but title and library are the same."""
    return Text(
        "Svarsbilagan togs fram med andra svar i intervjun än dem i svarsfilen, så kraven i den "
        f"är inte desamma (formulärets id är {found}, väntat {expected}).",
        "The form was made from other interview answers than those in the answers file, so its "
        f"requirements are not the same (form id {found}, expected {expected}).",
    )


def evaluate_with_the_same_answers() -> Text:
    return Text(
        "Utvärdera med samma svarsfil och samma kravbibliotek som när svarsbilagan togs fram.",
        "Evaluate with the same answers file and library as when the form was made.",
    )


# ---------------------------------------------------------------------------------------------
# Reading a form: its fields


def field_not_found(tag: str) -> Text:
    return Text(
        f"Fältet {tag} hittades inte i svarsbilagan.",
        f"The field {tag} was not found in the form.",
    )


def read_the_answer_in_the_form() -> Text:
    return Text("Läs svaret i svarsbilagan.", "Read the answer in the form.")


def field_occurs_more_than_once(tag: str) -> Text:
    return Text(
        f"Fältet {tag} finns flera gånger i svarsbilagan. Det första används.",
        f"The field {tag} occurs more than once in the form. The first one is used.",
    )


def check_the_answer_by_hand() -> Text:
    return Text("Kontrollera svaret för hand.", "Check the answer by hand.")


def neither_yes_nor_no(shown: str, requirement_id: str) -> Text:
    return Text(
        f"Svaret '{shown}' på {requirement_id} är varken Ja eller Nej. Det räknas som obesvarat.",
        f"The answer '{shown}' to {requirement_id} is neither Yes nor No. It counts as unanswered.",
    )


def judge_the_answer_by_hand() -> Text:
    return Text(
        "Läs svaret och bedöm det för hand.",
        "Read the answer and judge it by hand.",
    )


def name_taken_from_file(name: str) -> Text:
    """The supplier's name is empty, so the file name stands in for it."""
    return Text(
        f"Leverantörens namn saknas i svarsbilagan. Filnamnet '{name}' används i stället.",
        f"The supplier's name is missing from the form. The file name '{name}' is used instead.",
    )


def price_not_an_amount(price_text: str) -> Text:
    return Text(
        f"Priset '{price_text}' går inte att läsa som ett belopp.",
        f"The price '{price_text}' cannot be read as an amount.",
    )


def give_the_price(name: str) -> Text:
    return Text(
        f"Ange priset med --price '{name}=BELOPP'.",
        f"Give the price with --price '{name}=AMOUNT'.",
    )


# ---------------------------------------------------------------------------------------------
# Scoring


def unknown_model(model: str, models: Sequence[str]) -> Text:
    return Text(
        f"Utvärderingsmodellen '{model}' kan inte utvärderas av upphandla. Modellerna som går är {', '.join(models)}.",
        f"The evaluation model '{model}' cannot be evaluated by upphandla. The models it knows are {', '.join(models)}.",
    )


def by_org_number(org_number: str) -> Text:
    """How two forms are known to come from the same supplier: the organisation number."""
    return Text(f"organisationsnummer {org_number}", f"organisation number {org_number}")


def by_name(name: str) -> Text:
    """How two forms are known to come from the same supplier: the name."""
    return Text(f"namnet '{name}'", f"the name '{name}'")


def same_supplier_twice(who: Text, earlier: Path, later: Path) -> Text:
    return Text(
        f"Två svarsbilagor från samma leverantör ({who.sv}): {earlier} och {later}.",
        f"Two response forms from the same supplier ({who.en}): {earlier} and {later}.",
    )


def one_form_per_supplier() -> Text:
    return Text(
        "Ange bara en svarsbilaga per leverantör, den senaste.",
        "Give only one form per supplier, the latest.",
    )


def no_such_supplier(given: str, names: Sequence[str]) -> Text:
    """A ``--price`` name that matches no supplier."""
    return Text(
        f"Ingen leverantör heter '{given}'. Leverantörerna är: {', '.join(names)}.",
        f"No supplier is called '{given}'. The suppliers are: {', '.join(names)}.",
    )


def name_fits_several(given: str, names: Sequence[str]) -> Text:
    """A ``--price`` name that matches more than one supplier."""
    return Text(
        f"Namnet '{given}' passar flera leverantörer ({', '.join(names)}).",
        f"The name '{given}' fits several suppliers ({', '.join(names)}).",
    )


def write_the_supplier_name() -> Text:
    return Text(
        "Skriv leverantörens namn som i svarsbilagan, eller filens sökväg.",
        "Write the supplier's name as in the form, or the file's path.",
    )


def price_missing(name: str, price_text: str, model: str) -> Text:
    """A qualified tender without a price: the comparison figure cannot be computed."""
    written = (
        Text(f" (fältet innehåller '{price_text}')", f" (the field holds '{price_text}')")
        if price_text
        else Text()
    )
    return Text(
        f"Anbudspriset saknas för {name}{written.sv}. Utvärderingsmodellen ({model}) behöver priset för att räkna fram jämförelsetalet.",
        f"The tender price is missing for {name}{written.en}. The evaluation model ({model}) needs the price to compute the comparison figure.",
    )


def give_the_price_for_example(name: str) -> Text:
    return Text(
        f"Ange priset med --price '{name}=BELOPP', till exempel --price '{name}=1250000'.",
        f"Give the price with --price '{name}=AMOUNT', for example --price '{name}=1250000'.",
    )


def lots_to_draw(
    names: Sequence[str], rank: int | None, figure: float | None, words: ValueWords | None
) -> Text:
    """Tenders that share a rank: the same figure (and BÖR value), so lots must be drawn."""
    amount = format_amount(figure)
    sv_same = f"jämförelsetal, {amount} kr, och {words.sv[2]}" if words else f"pris, {amount} kr"
    en_same = (
        f"evaluation price, SEK {amount}, and {words.en[2]}" if words else f"price, SEK {amount}"
    )
    return Text(
        f"Lottning krävs mellan {_joined(names, 'och')} (delad rang {rank}): anbuden har samma "
        f"{sv_same}. Ordningen mellan dem avgörs genom lottning.",
        f"Lots must be drawn between {_joined(names, 'and')} (shared rank {rank}): the tenders have "
        f"the same {en_same}. The order between them is decided by drawing lots.",
    )


def tie_broken_by_value(names: Sequence[str], figure: float | None, words: ValueWords) -> Text:
    """Tenders with the same comparison figure, ranked by the value of the BÖR criteria met."""
    amount = format_amount(figure)
    return Text(
        f"Anbuden från {_joined(names, 'och')} har samma jämförelsetal, {amount} kr. Det anbud som har "
        f"{words.sv[0]} går före.",
        f"The tenders from {_joined(names, 'and')} have the same evaluation price, SEK {amount}. The tender "
        f"with {words.en[0]} ranks first.",
    )


# ---------------------------------------------------------------------------------------------
# The report: answers, the terminal table and its remarks


def fulfilled_label(fulfilled: str) -> Text:
    """``Ja``, ``Nej``, ``Inte besvarat`` or ``Fältet hittades inte`` (English likewise)."""
    return {
        "yes": Text("Ja", "Yes"),
        "no": Text("Nej", "No"),
        "unanswered": Text("Inte besvarat", "Not answered"),
        "unlocated": Text("Fältet hittades inte", "Field not found"),
    }[fulfilled]


def evaluation_of(title: str) -> Text:
    """The first line of the terminal table: the procurement's title."""
    return Text(f"Utvärdering: {title}", f"Evaluation: {title}")


def evaluation_model_is(label: str) -> Text:
    return Text(f"Utvärderingsmodell: {label}", f"Evaluation model: {label}")


def points_formula(quality_weight: float, max_points: float) -> Text:
    """The points model's weighting, with the formula the figures come from."""
    sv_weight, en_weight = (format_number(quality_weight, lang) for lang in ("sv", "en"))
    sv_most, en_most = (format_number(max_points, lang) for lang in ("sv", "en"))
    return Text(
        f"Kvalitetsvikt {sv_weight} %, högsta möjliga poäng {sv_most}: "
        f"jämförelsetal = pris × (1 − {sv_weight}/100 × poäng/{sv_most}).",
        f"Quality weight {en_weight} %, maximum points {en_most}: "
        f"evaluation price = price × (1 − {en_weight}/100 × points/{en_most}).",
    )


def rank_column() -> Text:
    return Text("Rang", "Rank")


def supplier_column() -> Text:
    return Text("Leverantör", "Supplier")


def qualified_column() -> Text:
    return Text("Kvalificerad", "Qualified")


def yes_or_no(value: bool) -> Text:
    """``ja`` or ``nej``, in lower case, for a cell of the table."""
    return Text("ja", "yes") if value else Text("nej", "no")


def points_column() -> Text:
    return Text("Poäng", "Points")


def price_column() -> Text:
    return Text("Pris (kr)", "Price (SEK)")


def deductions_sek_column() -> Text:
    return Text("Prisavdrag (kr)", "Deductions (SEK)")


def deductions_percent_column() -> Text:
    return Text("Prisavdrag (%)", "Deductions (%)")


def evaluation_price_column() -> Text:
    return Text("Jämförelsetal (kr)", "Evaluation price (SEK)")


def ska_answered_no(ids: Sequence[str]) -> Text:
    return _listed(Text("ska-krav besvarade med Nej: ", "SKA answered No: "), ids)


def ska_not_answered(ids: Sequence[str]) -> Text:
    return _listed(Text("obesvarade ska-krav: ", "SKA not answered: "), ids)


def bor_not_answered(ids: Sequence[str]) -> Text:
    return _listed(Text("obesvarade bör-krav: ", "BÖR not answered: "), ids)


def answers_not_found(ids: Sequence[str]) -> Text:
    return _listed(
        Text(
            "svar som inte hittades, kontrollera för hand: ",
            "answers not found, check by hand: ",
        ),
        ids,
    )


def supplier_remark(name: str, status: str, reasons: Sequence[Text]) -> Text:
    """One supplier's line under the table: its status, and the answers to look at."""
    sv_status, en_status = {
        "qualified": ("", ""),
        "not_qualified": ("inte kvalificerat; ", "not qualified; "),
        "to_review": ("att bedöma före beslut; ", "to review before the decision; "),
    }[status]
    return Text(
        f"{name}: {sv_status}{'; '.join(reason.sv for reason in reasons)}.",
        f"{name}: {en_status}{'; '.join(reason.en for reason in reasons)}.",
    )


def _listed(label: Text, ids: Sequence[str]) -> Text:
    return Text(label.sv + ", ".join(ids), label.en + ", ".join(ids))


# ---------------------------------------------------------------------------------------------
# Files that cannot be evaluated: what they are and what to do


def odt_not_word_file() -> Text:
    return Text(
        "Filen är ett OpenDocument-dokument (.odt), inte en Word-fil (.docx). Svaren kan inte läsas in.",
        "The file is an OpenDocument file (.odt), not a Word file (.docx). The answers cannot be read.",
    )


def save_odt_as_docx() -> Text:
    return Text(
        "Spara om den som .docx i LibreOffice (Arkiv > Spara som > Word 2007–365) eller be leverantören om .docx.",
        "Save it again as .docx in LibreOffice (File > Save As > Word 2007–365) or ask the supplier for a .docx.",
    )


def encrypted_word_file() -> Text:
    return Text(
        "Filen är lösenordsskyddad (krypterad) och går inte att läsa.",
        "The file is password-protected (encrypted) and cannot be read.",
    )


def old_word_file() -> Text:
    return Text(
        "Filen är en gammal Word-fil (.doc), inte en .docx-fil. Svaren kan inte läsas in.",
        "The file is an old Word file (.doc), not a .docx file. The answers cannot be read.",
    )


def save_doc_as_docx() -> Text:
    return Text(
        "Spara om den som .docx i Word eller LibreOffice, eller be leverantören om .docx.",
        "Save it again as .docx in Word or LibreOffice, or ask the supplier for a .docx.",
    )


def rtf_not_word_file() -> Text:
    return Text(
        "Filen är en RTF-fil, inte en .docx-fil. Svaren kan inte läsas in.",
        "The file is an RTF file, not a .docx file. The answers cannot be read.",
    )


def too_large_or_crafted() -> Text:
    return Text(
        "Filen är för stor, eller packad på ett sätt som inte går att läsa in säkert (se gränserna i docs/limits.md).",
        "The file is too large, or packed in a way that cannot be read safely (see the limits in docs/limits.md).",
    )


def damaged_word_file_plain() -> Text:
    return Text(
        "Filen är skadad och går inte att öppna som Word-fil.",
        "The file is damaged and cannot be opened as a Word file.",
    )


def open_and_save_again() -> Text:
    return Text(
        "Öppna filen i Word eller LibreOffice och spara den igen som .docx, eller be leverantören skicka svarsbilagan igen.",
        "Open the file in Word or LibreOffice and save it again as .docx, or ask the supplier to send the form again.",
    )


def assess_by_hand() -> Text:
    """How an unreadable bid is listed in the report."""
    return Text(
        "Anbudet har inte utvärderats. Bedöm det för hand.",
        "The tender has not been evaluated. Assess it by hand.",
    )


# ---------------------------------------------------------------------------------------------
# Doubts: why an answer is unclear


def doubt_text(reason: str, detail: str) -> Text:
    """What a doubt means, quoting what was found."""
    quoted = f"”{detail}”"
    messages = {
        "not_found": Text(
            "Svarsfältet hittades inte i svarsbilagan.",
            "The answer field was not found in the form.",
        ),
        "not_answered": Text("Fältet är inte ifyllt.", "The field is not filled in."),
        "not_plain": Text(
            f"Svaret {quoted} är inte ett rent Ja eller Nej.",
            f"The answer {quoted} is not a plain Yes or No.",
        ),
        "beside": Text(f"Text bredvid fältet: {quoted}.", f"Text beside the field: {quoted}."),
        "comment": Text(
            f"En kommentar är fäst vid svaret: {quoted}.",
            f"A comment is attached to the answer: {quoted}.",
        ),
        "tracked_change": Text(
            "Svaret har spårade ändringar som inte är godkända.",
            "The answer has tracked changes that have not been accepted.",
        ),
        "hidden_text": Text(
            f"Svaret innehåller dold text: {quoted}.",
            f"The answer holds hidden text: {quoted}.",
        ),
        "value_differs": Text(
            "Det som fältet visar skiljer sig från det som är lagrat i det"
            + (f" (lagrat: {quoted})." if detail else "."),
            "What the field shows differs from what is stored in it"
            + (f" (stored: {quoted})." if detail else "."),
        ),
        "field_code": Text(
            "Svaret innehåller en fältkod, vars visade resultat kan ändras när fältet uppdateras.",
            "The answer holds a field code, whose shown result can change when it is updated.",
        ),
        "duplicated": Text(
            f"Fältet finns {detail} gånger i svarsbilagan.",
            f"The field occurs {detail} times in the form.",
        ),
        "formula": Text(
            f"Svaret är en formel, som inte räknas ut: {quoted}.",
            f"The answer is a formula, which is not calculated: {quoted}.",
        ),
        "hidden_cell": Text(
            f"Svaret står i en dold rad, kolumn eller flik ({detail}).",
            f"The answer is in a hidden row, column or sheet ({detail}).",
        ),
        "merged": Text(
            f"Svarscellen ingår i sammanfogade celler ({detail}).",
            f"The answer cell is part of merged cells ({detail}).",
        ),
        "row_moved": Text(
            f"Kravets rad har flyttats (rad {detail}); svaret lästes där kravets id står nu.",
            f"The requirement's row has moved (row {detail}); the answer was read where its id is now.",
        ),
        "invisible_characters": Text(
            f"Svaret innehåller osynliga tecken eller styrtecken ({detail}).",
            f"The answer holds invisible or control characters ({detail}).",
        ),
        "price_missing": Text("Anbudspriset saknas.", "The tender price is missing."),
        "price_not_an_amount": Text(
            f"Priset {quoted} är inte ett belopp.", f"The price {quoted} is not an amount."
        ),
        "price_not_positive": Text(
            f"Priset {quoted} är inte ett positivt belopp.",
            f"The price {quoted} is not a positive amount.",
        ),
        "price_several_numbers": Text(
            f"Priset {quoted} innehåller flera tal eller ett intervall.",
            f"The price {quoted} holds several numbers or a range.",
        ),
        "price_decimals": Text(
            f"Priset {quoted} har fler än två decimaler.",
            f"The price {quoted} has more than two decimals.",
        ),
        "price_too_large": Text(
            f"Priset {quoted} är orimligt stort.", f"The price {quoted} is unreasonably large."
        ),
    }
    return messages.get(reason, Text(f"{reason}: {quoted}", f"{reason}: {quoted}"))


def found_text_marker(kind: str, text: str) -> Text:
    """How a part of an answer that is not seen is written in ``found_text``."""
    if kind == "hidden":
        return Text(f"⟦dold text: {text}⟧", f"⟦hidden text: {text}⟧")
    if kind == "deleted":
        return Text(f"⟦struken text: {text}⟧", f"⟦deleted text: {text}⟧")
    return Text(text, text)


def answer_unclear(requirement_id: str, field: str, doubts: Sequence[Text]) -> Text:
    """One line per unclear answer: the requirement, the field and every doubt."""
    return Text(
        f"Svaret på {requirement_id} ({field}) är oklart: {' '.join(d.sv for d in doubts)}",
        f"The answer to {requirement_id} ({field}) is unclear: {' '.join(d.en for d in doubts)}",
    )


def outcome_label(outcome: str) -> Text:
    return {
        "yes": Text("Ja", "Yes"),
        "no": Text("Nej", "No"),
        "unclear": Text("Oklart", "Unclear"),
    }[outcome]


def status_label(status: str) -> Text:
    return {
        "qualified": Text("Kvalificerat", "Qualified"),
        "not_qualified": Text("Inte kvalificerat", "Not qualified"),
        "to_review": Text("Att bedöma", "To review"),
        "unread": Text("Inte inläst", "Not read"),
    }[status]


def status_column() -> Text:
    return Text("Status", "Status")


def name_has_invisible_characters(name: str, codes: Sequence[str]) -> Text:
    return Text(
        f"Leverantörens namn {name} innehåller osynliga tecken eller styrtecken ({', '.join(codes)}). De visas som ⟨U+…⟩.",
        f"The supplier's name {name} holds invisible or control characters ({', '.join(codes)}). They are shown as ⟨U+…⟩.",
    )


def field_has_invisible_characters(tag: str, codes: Sequence[str]) -> Text:
    return Text(
        f"Fältet {tag} innehåller osynliga tecken eller styrtecken ({', '.join(codes)}). De visas som ⟨U+…⟩.",
        f"The field {tag} holds invisible or control characters ({', '.join(codes)}). They are shown as ⟨U+…⟩.",
    )


def field_doubt(tag: str, doubt: Text) -> Text:
    """A doubt about a free-text field (description, reference, supplier details)."""
    return Text(f"Fältet {tag}: {doubt.sv}", f"The field {tag}: {doubt.en}")


def reservation_text(kind: str, requirement_id: str, found: str, expected: str) -> Text:
    """A requirement text that differs from the one sent: a reservation for the buyer to judge."""
    if kind == "changed":
        return Text(
            f"Texten i {requirement_id} är ändrad: ”{expected}” står nu som ”{found}”.",
            f"The text of {requirement_id} has been changed: ”{expected}” now reads ”{found}”.",
        )
    if kind == "added":
        return Text(
            f"Text tillagd i tabellen för {requirement_id}: ”{found}”.",
            f"Text added to the table of {requirement_id}: ”{found}”.",
        )
    if kind == "removed":
        return Text(
            f"Text borttagen ur tabellen för {requirement_id}: ”{expected}”.",
            f"Text removed from the table of {requirement_id}: ”{expected}”.",
        )
    return Text(
        f"Tabellen för {requirement_id} hittades inte i svarsbilagan.",
        f"The table of {requirement_id} was not found in the form.",
    )


def other_templates() -> Text:
    return Text(
        "Svarsbilagan verkar vara gjord med andra mallar än dem som används nu: kravtexterna jämförs med dem som svarsbilagan själv anger.",
        "The form seems to have been made with other templates than the ones used now: the requirement texts are compared with those the form itself records.",
    )


def to_review_because(reasons: Sequence[Text]) -> Text:
    return Text(
        "Anbudet måste bedömas före beslut: " + "; ".join(r.sv for r in reasons) + ".",
        "The tender must be assessed before the decision: "
        + "; ".join(r.en for r in reasons)
        + ".",
    )


def unclear_ska(ids: Sequence[str]) -> Text:
    return _listed(Text("oklara svar på ska-krav: ", "unclear answers to SKA: "), ids)


def unclear_bor(ids: Sequence[str]) -> Text:
    return _listed(Text("oklara svar på bör-krav: ", "unclear answers to BÖR: "), ids)


def reservations_on(ids: Sequence[str]) -> Text:
    return _listed(
        Text("ändrade kravtexter (förbehåll): ", "changed requirement texts (reservations): "), ids
    )


def price_unclear() -> Text:
    return Text("priset är oklart", "the price is unclear")


def review_consequence(is_ska: bool) -> Text:
    """How the result changes either way, for an unclear answer."""
    if is_ska:
        return Text(
            "Om svaret godtas som Ja kan anbudet bli kvalificerat; är det ett Nej, eller saknas svaret, är anbudet inte kvalificerat.",
            "If the answer is accepted as Yes the tender can qualify; if it is a No, or there is no answer, the tender does not qualify.",
        )
    return Text(
        "Om svaret godtas som Ja räknas kriteriet som uppfyllt och jämförelsetalet ändras; annars räknas det som inte uppfyllt.",
        "If the answer is accepted as Yes the criterion counts as met and the comparison figure changes; otherwise it counts as not met.",
    )


def reservation_consequence(is_ska: bool) -> Text:
    if is_ska:
        return Text(
            "Ett förbehåll mot ett ska-krav innebär oftast att anbudet inte kan antas. Den upphandlande organisationen avgör.",
            "A reservation against a SKA requirement usually means the tender cannot be accepted. The buyer decides.",
        )
    return Text(
        "Bedöm om förbehållet ändrar vad anbudet erbjuder. Den upphandlande organisationen avgör.",
        "Judge whether the reservation changes what the tender offers. The buyer decides.",
    )


def price_consequence() -> Text:
    return Text(
        "Ange det pris som gäller med --price 'LEVERANTÖR=BELOPP' och kör utvärderingen igen.",
        "Give the price that applies with --price 'SUPPLIER=AMOUNT' and run the evaluation again.",
    )


def unread_files(count: int) -> Text:
    return Text(
        f"{count} fil(er) kunde inte läsas in och måste bedömas för hand.",
        f"{count} file(s) could not be read and must be assessed by hand.",
    )


def exit_to_review() -> Text:
    return Text(
        "Utvärderingen är skriven, men något måste bedömas före beslut (slutstatus 4).",
        "The evaluation is written, but something must be assessed before the decision (exit status 4).",
    )


def found_in_field(text: str) -> Text:
    return Text(f"I fältet står ”{text}”.", f"The field reads ”{text}”.")


def file_not_read(file: str) -> Text:
    """A line under the terminal table for a form that could not be read."""
    return Text(
        f"{file}: kunde inte läsas in; bedöm anbudet för hand.",
        f"{file}: could not be read; assess the tender by hand.",
    )


def lot_unclear() -> Text:
    """The summary's group of tenders whose lot (anbudsområde) is not plainly given."""
    return Text("Anbudsområdet är oklart", "The lot is unclear")


def lot_column() -> Text:
    return Text("Anbudsområde", "Lot")


def lot_not_clear() -> Text:
    return Text("anbudsområdet är oklart", "the lot is unclear")


def lot_consequence() -> Text:
    return Text(
        "Se i anbudet vilket anbudsområde det gäller; anbudet rangordnas bara inom sitt anbudsområde.",
        "See in the tender which lot it is for; a tender is ranked only within its lot.",
    )


def protection_removed(sheets: str) -> Text:
    """A workbook form whose sheet protection was removed."""
    return Text(
        f"Skyddet av bladen är borttaget ({sheets}); låsta celler kan ha ändrats.",
        f"The protection of the sheets has been removed ({sheets}); locked cells may have been changed.",
    )


def compare_with_the_workbook_sent() -> Text:
    return Text(
        "Jämför med kravspecifikationen som skickades ut; ändrade kravtexter är listade som reservationer.",
        "Compare with the workbook that was sent; changed requirement texts are listed as reservations.",
    )


def damaged_workbook() -> Text:
    return Text(
        "Arbetsboken (.xlsx) är skadad och går inte att läsa.",
        "The workbook (.xlsx) is damaged and cannot be read.",
    )


def ods_not_workbook() -> Text:
    return Text(
        "Filen är ett OpenDocument-kalkylblad (.ods), inte kravspecifikationen som Excel-arbetsbok (.xlsx).",
        "The file is an OpenDocument spreadsheet (.ods), not the requirement workbook as .xlsx.",
    )


def save_ods_as_xlsx() -> Text:
    return Text(
        "Öppna filen i LibreOffice och spara den som Excel 2007-365 (.xlsx), eller be leverantören skicka kravspecifikation.xlsx igen.",
        "Open the file in LibreOffice and save it as Excel 2007-365 (.xlsx), or ask the supplier to send kravspecifikation.xlsx again.",
    )


def text_outside_the_form(cell: str, text: str) -> Text:
    """Text in a response workbook outside the form's rows and columns."""
    return Text(
        f"Text utanför formulärets rader och kolumner i {cell}: ”{text}”.",
        f"Text outside the form's rows and columns in {cell}: ”{text}”.",
    )
