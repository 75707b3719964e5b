"""The AI Act's prohibited practices (art. 5) behind the default library's stable choice values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from upphandla.library import known
from upphandla.text import Text

ARTICLE_5_POINTS: dict[str, Text] = {
    "manipulation": Text(
        "art. 5.1 a (manipulativa eller vilseledande tekniker)",
        "Art. 5(1)(a) (manipulative or deceptive techniques)",
    ),
    "exploiting_vulnerabilities": Text(
        "art. 5.1 b (utnyttjande av sårbarhet)", "Art. 5(1)(b) (exploiting vulnerabilities)"
    ),
    "social_scoring": Text("art. 5.1 c (social poängsättning)", "Art. 5(1)(c) (social scoring)"),
    "crime_risk_profiling": Text(
        "art. 5.1 d (brottsprognoser enbart genom profilering)",
        "Art. 5(1)(d) (crime prediction solely by profiling)",
    ),
    "facial_image_scraping": Text(
        "art. 5.1 e (oriktad insamling av ansiktsbilder)",
        "Art. 5(1)(e) (untargeted scraping of facial images)",
    ),
    "emotion_recognition_work_education": Text(
        "art. 5.1 f (känsloigenkänning i arbetsliv och utbildning)",
        "Art. 5(1)(f) (emotion recognition at work and in education)",
    ),
    "biometric_categorisation_sensitive": Text(
        "art. 5.1 g (biometrisk kategorisering efter känsliga egenskaper)",
        "Art. 5(1)(g) (biometric categorisation by sensitive traits)",
    ),
    "realtime_remote_biometric_identification": Text(
        "art. 5.1 h (biometrisk fjärridentifiering i realtid)",
        "Art. 5(1)(h) (real-time remote biometric identification)",
    ),
    "intimate_imagery": Text(
        "art. 5 i den lydelse som omnibusförordningen ger (intima bilder utan samtycke, från den 2 december 2026)",
        "Art. 5 as amended by the Digital Omnibus (intimate imagery without consent, from 2 December 2026)",
    ),
}


def prohibited_points(answers: Mapping[str, Any]) -> list[Text]:
    """The article 5 points that the answer to ``prohibited_practices`` names."""
    chosen = answers.get(known.PROHIBITED_PRACTICES) or []
    return [
        ARTICLE_5_POINTS.get(value, Text(value, value))
        for value in chosen
        if isinstance(value, str)
    ]


def refusal_message(answers: Mapping[str, Any]) -> Text:
    """Why documents are refused for a prohibited practice."""
    points = prohibited_points(answers)
    listed_sv = "; ".join(point.sv for point in points) or "art. 5"
    listed_en = "; ".join(point.en for point in points) or "Art. 5"
    return Text(
        "Svaren beskriver en användning som är förbjuden enligt AI-förordningen: "
        f"{listed_sv}. upphandla tar inte fram några upphandlingsdokument för en förbjuden "
        "användning. Tala med er jurist innan ni går vidare.",
        "The answers describe a use prohibited by the AI Act: "
        f"{listed_en}. upphandla produces no procurement documents for a prohibited use. "
        "Talk to your lawyer before going further.",
    )
