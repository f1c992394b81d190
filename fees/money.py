"""Money as the fee desk counts it: yuan in exact decimals, never floats.

Rounding rules, the same everywhere a bill is made:
- A price may carry up to four decimals (0.4500 元 per kWh, 2.2000 元 per m²).
- Each bill line is worked out exactly, then rounded once to the fen (0.01 元), half up
  (四舍五入): 98.55 m² × 2.20 元 = 216.81 元; 0.005 rounds up to 0.01.
- A tiered price works out each tier exactly and rounds the line's sum once.
- Totals are sums of rounded lines, so a bill adds up to the fen on paper.
"""

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def to_fen(amount):
    """`amount` (a Decimal, an int or a decimal string) rounded half up to the fen."""
    return Decimal(amount).quantize(FEN, rounding=ROUND_HALF_UP)


def tiered(quantity, tiers):
    """What `quantity` costs under `tiers`, [(up to, price)…] with the last "up to" None:
    each tier's share at its price, the sum rounded once (阶梯价)."""
    quantity, total, floor = Decimal(quantity), Decimal(0), Decimal(0)
    for up_to, price in tiers:
        ceiling = quantity if up_to is None else min(quantity, Decimal(up_to))
        if ceiling > floor:
            total += (ceiling - floor) * Decimal(price)
        if up_to is None or quantity <= Decimal(up_to):
            break
        floor = Decimal(up_to)
    return to_fen(total)


def unit_price(value):
    """A unit price as written, to at most four decimals and at least two: 2.20, 0.568."""
    text = f"{Decimal(value):.4f}".rstrip("0")
    return text + "0" * max(0, 2 - len(text.split(".")[1]))


def yuan(amount):
    """ "1,234.50" as staff and owners read amounts: two decimals, thousands marked."""
    return f"{to_fen(amount):,.2f}"
