"""Every word the browser interview shows, in Swedish and English."""

from __future__ import annotations

from upphandla.text import Language, Text

WORDS: dict[str, Text] = {
    "title": Text("Intervju", "Interview"),
    "skip": Text("Hoppa till frågan", "Skip to the question"),
    "position": Text(
        "Fråga {position} av {total} än så länge", "Question {position} of {total} so far"
    ),
    "position_note": Text(
        "Antalet frågor beror på dina svar.", "The number of questions depends on your answers."
    ),
    "why": Text("Varför frågar vi?", "Why do we ask?"),
    "save": Text("Spara och fortsätt", "Save and continue"),
    "back": Text("Gå tillbaka", "Go back"),
    "yes": Text("Ja", "Yes"),
    "no": Text("Nej", "No"),
    "optional": Text(
        "Frivillig: lämna tomt om det inte passar.", "Optional: leave empty if it does not fit."
    ),
    "multiple_hint": Text(
        "Kryssa i allt som stämmer. Inget kryss betyder att inget stämmer.",
        "Tick everything that applies. No tick means that none applies.",
    ),
    "date_hint": Text("Skriv datumet som ÅÅÅÅ-MM-DD.", "Write the date as YYYY-MM-DD."),
    "number_hint": Text("Skriv ett tal.", "Write a number."),
    "invalid": Text(
        "Det svaret går inte att använda: {message}", "That answer cannot be used: {message}"
    ),
    "required": Text("Frågan behöver ett svar.", "The question needs an answer."),
    "confirm_empty": Text(
        "Du har inte kryssat i något, det betyder att inget av alternativen stämmer. Stämmer det?",
        "You have ticked nothing, which means that none of the options applies. Is that right?",
    ),
    "confirm_empty_yes": Text(
        "Ja, inget av alternativen stämmer", "Yes, none of the options applies"
    ),
    "stale": Text(
        "Frågan hade redan besvarats (kanske i en annan flik). Här är frågan som gäller nu.",
        "The question had already been answered (perhaps in another tab). Here is the current question.",
    ),
    "panel_title": Text("Krav som ingår hittills", "Requirements included so far"),
    "panel_title_final": Text("Krav som ingår", "Requirements included"),
    "panel_note": Text(
        "Med dina svar hittills och standardsvaren för resten. Listan ändras när du svarar.",
        "With your answers so far and the defaults for the rest. The list changes as you answer.",
    ),
    "panel_count": Text("{count} krav", "{count} requirements"),
    "risk_class": Text(
        "Riskklass enligt AI-förordningen: {risk}", "Risk class under the AI Act: {risk}"
    ),
    "level_ska": Text("ska-krav", "mandatory"),
    "level_bor": Text("bör-krav", "award criterion"),
    "done_title": Text("Intervjun är klar", "The interview is finished"),
    "done_saved": Text("Svaren är sparade i {output}.", "The answers are saved in {output}."),
    "done_already": Text(
        "Alla frågor var redan besvarade. Vill du ändra svaren, starta om med "
        "upphandla interview --web --review.",
        "Every question was already answered. To change the answers, start again with "
        "upphandla interview --web --review.",
    ),
    "generate": Text("Ta fram dokumenten", "Write the documents"),
    "generate_note": Text(
        "Kravbilaga, svarsbilaga och beslutsunderlag i Word, med svaren och urvalet som data.",
        "Requirements annex, response form and decision memo in Word, with the answers and the selection as data.",
    ),
    "force": Text("Skriv över filer som redan finns", "Overwrite files that exist"),
    "written_title": Text("Dokumenten är klara", "The documents are ready"),
    "written_folder": Text(
        "Filerna finns i mappen {folder}.", "The files are in the folder {folder}."
    ),
    "download": Text("Ladda ned {name}", "Download {name}"),
    "not_written": Text("Dokumenten kunde inte tas fram", "The documents could not be written"),
    "quit": Text("Avsluta", "Finish"),
    "quit_note": Text(
        "Avsluta stänger sidan och upphandla i terminalen.",
        "Finish closes this page and upphandla in the terminal.",
    ),
    "closed_title": Text("upphandla är avslutat", "upphandla has finished"),
    "closed": Text(
        "Du kan stänga fliken. Svaren finns kvar i {output}.",
        "You can close the tab. The answers remain in {output}.",
    ),
    "interrupted": Text(
        "Intervjun avbröts. Dina svar är sparade i {output}; starta igen för att fortsätta.",
        "The interview was interrupted. Your answers are saved in {output}; start again to continue.",
    ),
    "failed": Text("Intervjun kunde inte fortsätta", "The interview could not go on"),
}


def word(key: str, language: Language, **values: object) -> str:
    """A word of the browser interview in ``language``."""
    text = WORDS[key].in_language(language)
    return text.format(**values) if values else text
