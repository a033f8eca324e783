"""Corporate tax and the worth of a deduction: what a fiscal scheme saves the firm in tax.

A deduction from profit is worth the tax it removes. For a BV/NV that is the corporate tax on the
profit minus the tax on the profit less the deduction (both through the year's brackets); for an
IB-ondernemer it is the deduction times the profile's marginal income-tax rate. Unknown profit or
rate gives NaN, which the navigator reports as "value cannot be estimated" instead of zero.
"""

from numpy import maximum, minimum, nan, where


def vpb_op(winst, tarieven):
    """Corporate tax on a profit: the low rate up to the bracket limit, the high rate above it."""
    winst = maximum(winst, 0)
    laag = minimum(winst, tarieven.schijfgrens)
    return tarieven.tarief_laag * laag + tarieven.tarief_hoog * (winst - laag)


def belastingbesparing(onderneming, period, parameters, aftrek):
    """Tax saved by deducting `aftrek` from profit; NaN when the profit or marginal rate is unknown."""
    vpb_plichtig = onderneming("is_vpb_plichtig", period)
    tarief = onderneming("marginaal_tarief", period)
    ib = where((tarief >= 0) * (tarief <= 1), aftrek * tarief, nan)
    if (vpb_plichtig * (aftrek > 0)).any():  # the brackets are read only when a BV/NV deducts
        winst = onderneming("belastbare_winst", period)
        tarieven = parameters(period).vpb
        vpb = vpb_op(winst, tarieven) - vpb_op(winst - aftrek, tarieven)
        ib = where(vpb_plichtig, vpb, ib)
    return where(aftrek > 0, ib, 0)
