"""Money: Decimal amount + ISO currency, immutable (ARCHITECTURE convention 5).

Floats are refused (they cannot represent 0.1); adding or comparing two
currencies is refused; :meth:`Money.quantized` rounds half-up to the
currency's minor unit (VND has none: whole đồng).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# ISO 4217 minor units of the currencies the product meets; others default to 2.
MINOR_UNITS: dict[str, int] = {"VND": 0, "JPY": 0, "KRW": 0, "USD": 2, "EUR": 2, "CNY": 2}


def minor_unit(currency: str) -> int:
    return MINOR_UNITS.get(currency.upper(), 2)


def to_decimal(value: object) -> Decimal:
    if isinstance(value, float):
        raise TypeError("Money refuses float amounts; pass a Decimal, int or string")
    if isinstance(value, bool):
        raise TypeError("Money refuses booleans")
    try:
        result = Decimal(value) if not isinstance(value, Decimal) else value  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValueError(f"not a decimal amount: {value!r}") from exc
    if not result.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
    return result


def round_half_up(amount: Decimal, places: int = 0) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str = "VND"

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", to_decimal(self.amount))
        if len(self.currency) != 3 or not self.currency.isalpha():
            raise ValueError(f"not an ISO currency code: {self.currency!r}")
        object.__setattr__(self, "currency", self.currency.upper())

    @classmethod
    def zero(cls, currency: str = "VND") -> Money:
        return cls(Decimal(0), currency)

    def _check(self, other: object) -> Money:
        if not isinstance(other, Money):
            raise TypeError("Money can only be combined with Money")
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")
        return other

    def __add__(self, other: object) -> Money:
        return Money(self.amount + self._check(other).amount, self.currency)

    def __sub__(self, other: object) -> Money:
        return Money(self.amount - self._check(other).amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: object) -> Money:
        if isinstance(factor, Money):
            raise TypeError("cannot multiply Money by Money")
        return Money(self.amount * to_decimal(factor), self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: object) -> bool:
        return self.amount < self._check(other).amount

    def __le__(self, other: object) -> bool:
        return self.amount <= self._check(other).amount

    def __gt__(self, other: object) -> bool:
        return self.amount > self._check(other).amount

    def __ge__(self, other: object) -> bool:
        return self.amount >= self._check(other).amount

    def __bool__(self) -> bool:
        return bool(self.amount)

    def quantized(self) -> Money:
        return Money(round_half_up(self.amount, minor_unit(self.currency)), self.currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def format_vnd(amount: Decimal | int, currency: str = "VND") -> str:
    """Vietnamese display: 1.234.567 ₫ (dot thousands, comma decimals)."""
    value = round_half_up(to_decimal(amount), minor_unit(currency))
    sign = "-" if value < 0 else ""
    whole, _, frac = f"{abs(value):f}".partition(".")
    groups = f"{int(whole):,}".replace(",", ".")
    text = f"{sign}{groups}" + (f",{frac}" if frac else "")
    symbol = "₫" if currency.upper() == "VND" else currency.upper()
    return f"{text} {symbol}"
