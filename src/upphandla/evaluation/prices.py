"""Prices as money: a tender price is a positive, finite amount in kronor with at most two
decimals, written as a supplier would ("1 250 000 kr", "1 250 000,50", "SEK 990 000",
"1,5 mkr", "850 tkr", "1 250 000:-"). Anything else (negative, several numbers, a range, words,
an ambiguous "1.250") is not read as a number at all: it is a doubt, with the text quoted, for
the buyer to settle with ``--price``. Amounts are exact (``Decimal``) until the end, and never
infinite, so ``utvardering.json`` stays valid JSON.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Literal

from upphandla.records import record

PriceReason = Literal[
    "price_missing",
    "price_not_an_amount",
    "price_not_positive",
    "price_several_numbers",
    "price_decimals",
    "price_too_large",
]

MAX_PRICE = Decimal(10) ** 12
"""The largest amount read (a thousand billion kronor); larger is a typing error or a trick."""

_UNITS = {
    "kr": 1,
    "kronor": 1,
    "sek": 1,
    ":-": 1,
    "mkr": 1_000_000,
    "msek": 1_000_000,
    "mnkr": 1_000_000,
    "miljoner": 1_000_000,
    "miljoner kronor": 1_000_000,
    "tkr": 1_000,
    "tsek": 1_000,
    "tusen": 1_000,
    "tusen kronor": 1_000,
}
_UNIT = "|".join(sorted((re.escape(unit) for unit in _UNITS), key=len, reverse=True))
_VAT = r"(?:(?:exkl\.?|exklusive|ex\.?|utan|excl\.?|excluding)\s*(?:moms|vat))"
_PRICE = re.compile(
    rf"(?:(?:sek|kr)\s*)?(?P<number>\d(?:[\d ',.]*\d)?)\s*(?P<unit>{_UNIT})?\s*,?\s*{_VAT}?\s*\.?",
    re.IGNORECASE,
)
_NUMBERS = re.compile(r"\d(?:[\d ',.]*\d)?")
_NEGATIVE = re.compile(r"^\s*(?:sek|kr)?\s*[-\u2212\u2013]\s*\d", re.IGNORECASE)


@record
class PriceReading:
    """A price field read: the amount, or the reason it is not one."""

    amount: float | None
    reason: PriceReason | None = None


def read_price(text: str) -> PriceReading:
    """The amount in ``text``, or why there is none (``reason``)."""
    written = " ".join(text.split())
    if not written:
        return PriceReading(None, "price_missing")
    match = _PRICE.fullmatch(written)
    if match is None:
        if _NEGATIVE.match(written):
            return PriceReading(None, "price_not_positive")
        if len(_NUMBERS.findall(written)) > 1 or re.search(r"\d\s*[-\u2013/]\s*\d", written):
            return PriceReading(None, "price_several_numbers")
        return PriceReading(None, "price_not_an_amount")
    number = _number(match.group("number"))
    if isinstance(number, str):
        return PriceReading(None, number)
    unit = (match.group("unit") or "kr").casefold()
    amount = number * _UNITS[unit]
    if amount <= 0:
        return PriceReading(None, "price_not_positive")
    if amount > MAX_PRICE:
        return PriceReading(None, "price_too_large")
    if amount != amount.quantize(Decimal("0.01")):
        return PriceReading(None, "price_decimals")
    return PriceReading(float(amount))


def _number(text: str) -> Decimal | PriceReason:
    """A number with optional thousands groups (one kind of separator, groups of three) and a
    decimal part after ``,`` or ``.``; a reason when it is not unambiguous."""
    decimals = ""
    whole = text
    separators = [char for char in text if not char.isdigit()]
    last = max(text.rfind(","), text.rfind("."))
    if last >= 0:
        tail = text[last + 1 :]
        mark = text[last]
        others = separators[:-1]
        if 1 <= len(tail) <= 2 and tail.isdigit() and mark not in others:
            whole, decimals = text[:last], tail
        elif len(tail) >= 3 and tail.isdigit() and others and mark not in others:
            return "price_decimals"
        elif len(tail) == 3 and not others and text.count(mark) == 1:
            return "price_not_an_amount"  # "1.250": a thousand or one and a quarter?
    groupers = {char for char in whole if not char.isdigit()}
    if len(groupers) > 1:
        return "price_not_an_amount"
    if groupers:
        groups = whole.split(groupers.pop())
        if not (1 <= len(groups[0]) <= 3) or any(len(group) != 3 for group in groups[1:]):
            return "price_not_an_amount"
        whole = "".join(groups)
    if not whole.isdigit() or len(whole) > 15:
        return "price_too_large" if whole.isdigit() else "price_not_an_amount"
    try:
        return Decimal(f"{whole}.{decimals}" if decimals else whole)
    except InvalidOperation:
        return "price_not_an_amount"
