"""The many math functions of a Tensor, elementwise: trigonometric and hyperbolic functions, logs and
exponentials in other bases or near zero, ``erf``, and rounding. Primitives (a forward and its backward
rule, the derivative in a comment) where numpy has the exact function; compositions where the formula
is exact (``rsqrt``, ``reciprocal``, ``exp2``, ``frac``). Integers and bools become float32 first.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from autograd.arithmetic import zero_gradient
from autograd.elementwise import _floats, _refuse_bools
from autograd.graph import rule_for
from autograd.tensor import record

if TYPE_CHECKING:
    from autograd.tensor import Tensor


class PointwiseMath:
    """Elementwise math functions of ``Tensor`` (a mixin)."""

    # -- trigonometric ------------------------------------------------------------------
    def sin(self) -> Tensor:
        with np.errstate(invalid="ignore"):  # of an infinity: nan
            return record(np.sin(_floats(self).data), (self,), PointwiseMath._sin_backward)

    @staticmethod
    @rule_for("sin", saves=(0,))
    def _sin_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d sin(a) = cos(a) da
        return (g * out._inputs[0].cos(),)

    def cos(self) -> Tensor:
        with np.errstate(invalid="ignore"):  # of an infinity: nan
            return record(np.cos(_floats(self).data), (self,), PointwiseMath._cos_backward)

    @staticmethod
    @rule_for("cos", saves=(0,))
    def _cos_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d cos(a) = -sin(a) da
        return (-g * out._inputs[0].sin(),)

    def tan(self) -> Tensor:
        with np.errstate(invalid="ignore"):  # of an infinity: nan
            return record(np.tan(_floats(self).data), (self,), PointwiseMath._tan_backward)

    @staticmethod
    @rule_for("tan", saves=("out",))
    def _tan_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d tan(a) = (1 + tan^2 a) da
        return (g * (1 + out * out),)

    def asin(self) -> Tensor:
        with np.errstate(invalid="ignore"):
            return record(np.arcsin(_floats(self).data), (self,), PointwiseMath._asin_backward)

    @staticmethod
    @rule_for("asin", saves=(0,))
    def _asin_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d asin(a) = da / sqrt(1 - a^2)
        a = out._inputs[0]
        return (g * (1 - a * a).rsqrt(),)

    def acos(self) -> Tensor:
        with np.errstate(invalid="ignore"):
            return record(np.arccos(_floats(self).data), (self,), PointwiseMath._acos_backward)

    @staticmethod
    @rule_for("acos", saves=(0,))
    def _acos_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d acos(a) = -da / sqrt(1 - a^2)
        a = out._inputs[0]
        return (-g * (1 - a * a).rsqrt(),)

    def atan(self) -> Tensor:
        return record(np.arctan(_floats(self).data), (self,), PointwiseMath._atan_backward)

    @staticmethod
    @rule_for("atan", saves=(0,))
    def _atan_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d atan(a) = da / (1 + a^2)
        a = out._inputs[0]
        return (g / (1 + a * a),)

    # -- hyperbolic ------------------------------------------------------------------------
    def sinh(self) -> Tensor:
        with np.errstate(over="ignore"):
            return record(np.sinh(_floats(self).data), (self,), PointwiseMath._sinh_backward)

    @staticmethod
    @rule_for("sinh", saves=(0,))
    def _sinh_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d sinh(a) = cosh(a) da
        return (g * out._inputs[0].cosh(),)

    def cosh(self) -> Tensor:
        with np.errstate(over="ignore"):
            return record(np.cosh(_floats(self).data), (self,), PointwiseMath._cosh_backward)

    @staticmethod
    @rule_for("cosh", saves=(0,))
    def _cosh_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d cosh(a) = sinh(a) da
        return (g * out._inputs[0].sinh(),)

    # -- logs and exponentials -------------------------------------------------------------
    def log2(self) -> Tensor:
        with np.errstate(divide="ignore", invalid="ignore"):
            return record(np.log2(_floats(self).data), (self,), PointwiseMath._log2_backward)

    @staticmethod
    @rule_for("log2", saves=(0,))
    def _log2_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d log2(a) = da / (a ln 2)
        return (g / (out._inputs[0] * math.log(2)),)

    def log10(self) -> Tensor:
        with np.errstate(divide="ignore", invalid="ignore"):
            return record(np.log10(_floats(self).data), (self,), PointwiseMath._log10_backward)

    @staticmethod
    @rule_for("log10", saves=(0,))
    def _log10_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d log10(a) = da / (a ln 10)
        return (g / (out._inputs[0] * math.log(10)),)

    def log1p(self) -> Tensor:
        """log(1 + x), exact for x near 0 where 1 + x would round."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return record(np.log1p(_floats(self).data), (self,), PointwiseMath._log1p_backward)

    @staticmethod
    @rule_for("log1p", saves=(0,))
    def _log1p_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d log(1 + a) = da / (1 + a)
        return (g / (out._inputs[0] + 1),)

    def expm1(self) -> Tensor:
        """e^x - 1, exact for x near 0 where e^x would round to 1."""
        with np.errstate(over="ignore"):
            return record(np.expm1(_floats(self).data), (self,), PointwiseMath._expm1_backward)

    @staticmethod
    @rule_for("expm1", saves=("out",))
    def _expm1_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d (e^a - 1) = e^a da
        return (g * (out + 1),)

    def exp2(self) -> Tensor:
        """2^x"""
        return 2.0 ** _floats(self)

    def rsqrt(self) -> Tensor:
        """1 / sqrt(x)"""
        return self.sqrt().reciprocal()

    def reciprocal(self) -> Tensor:
        """1 / x (float32 for integers and bools)"""
        return 1 / self

    def erf(self) -> Tensor:
        """The error function, 2/sqrt(pi) * integral from 0 to x of e^(-t^2) dt."""
        x = _floats(self).data
        return record(_erf(x).astype(x.dtype), (self,), PointwiseMath._erf_backward)

    @staticmethod
    @rule_for("erf", saves=(0,))
    def _erf_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d erf(a) = 2/sqrt(pi) e^(-a^2) da
        a = out._inputs[0]
        return (g * (2 / math.sqrt(math.pi)) * (-(a * a)).exp(),)

    # -- rounding: piecewise constant, so zero gradient (PyTorch's choice at the jumps too) ---
    def sign(self) -> Tensor:
        """-1, 0 or 1 as x is negative, zero or positive (0 for nan, as in PyTorch)."""
        if self.dtype.kind == "b":
            return record(self.data.copy(), (self,), zero_gradient("sign"))
        data = (self.data > 0).astype(self.dtype) - (self.data < 0).astype(self.dtype)
        return record(data, (self,), zero_gradient("sign"))

    def floor(self) -> Tensor:
        return self._rounded("floor", np.floor)

    def ceil(self) -> Tensor:
        return self._rounded("ceil", np.ceil)

    def trunc(self) -> Tensor:
        """x rounded toward zero."""
        return self._rounded("trunc", np.trunc)

    def fix(self) -> Tensor:
        return self.trunc()

    def round(self, decimals: int = 0) -> Tensor:
        """x rounded to ``decimals`` decimal places, halves to even (``round(2.5) == 2``)."""
        if decimals != 0 and self.dtype.kind != "f":
            raise NotImplementedError(f"round with decimals is only for floating point tensors, not {self.dtype}")
        return self._rounded("round", lambda data: np.round(data, decimals))

    def _rounded(self, symbol: str, rounding: Callable[[np.ndarray], np.ndarray]) -> Tensor:
        _refuse_bools(symbol, self, NotImplementedError)
        data = rounding(self.data) if self.dtype.kind == "f" else self.data.copy()  # integers are already round
        return record(data, (self,), zero_gradient(symbol))

    def frac(self) -> Tensor:
        """x - trunc(x): the fractional part, with the sign of x."""
        if self.dtype.kind != "f":
            raise NotImplementedError(f"frac is only for floating point tensors, not {self.dtype}")
        with np.errstate(invalid="ignore"):  # of an infinity: nan
            return self - self.trunc()


# -- erf, which numpy lacks: a Taylor series about the nearest point of a grid -----------------
ERF_STEP, ERF_END, ERF_TERMS = 1 / 64, 6.0, 8  # past 6, erf is 1 to double precision


def _erf_taylor_coefficients() -> tuple[np.ndarray, np.ndarray]:
    """The grid x0 = 0, 1/64, ..., 6 and, for each point, erf^(n)(x0) / n! for n < 8: erf(x0) from the C
    library, and erf^(n+1) = 2/sqrt(pi) (-1)^n H_n e^(-x^2) with the Hermite polynomials
    H_0 = 1, H_1 = 2x, H_(n+1) = 2x H_n - 2n H_(n-1)."""
    x0 = np.arange(0, ERF_END + ERF_STEP / 2, ERF_STEP)
    coefficients = np.empty((ERF_TERMS, len(x0)))
    coefficients[0] = [math.erf(v) for v in x0]
    gauss = 2 / math.sqrt(math.pi) * np.exp(-x0 * x0)
    hermite_before, hermite = np.zeros_like(x0), np.ones_like(x0)
    for n in range(ERF_TERMS - 1):
        coefficients[n + 1] = gauss * (-1) ** n * hermite / math.factorial(n + 1)
        hermite_before, hermite = hermite, 2 * x0 * hermite - 2 * n * hermite_before
    return x0, coefficients


ERF_GRID, ERF_COEFFICIENTS = _erf_taylor_coefficients()


def _erf(x: np.ndarray) -> np.ndarray:
    """erf(x) in float64, within 2 units in the last place of the C library's: the Taylor series in
    h = |x| - x0 about the nearest grid point x0 (|h| <= 1/128, so 8 terms suffice), sign restored."""
    a = np.fmin(np.abs(x), ERF_END)  # nan becomes 6 here, and nan again at the end
    nearest = (a * (1 / ERF_STEP) + 0.5).astype(np.intp)
    h = a - ERF_GRID[nearest]
    total = ERF_COEFFICIENTS[-1][nearest]
    for coefficient in ERF_COEFFICIENTS[-2::-1]:
        total *= h
        total += coefficient[nearest]
    return np.where(np.isnan(x), x, np.copysign(total, x))
