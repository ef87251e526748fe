"""Shared builders for the city tests: an imported-results file with known mistakes."""

from __future__ import annotations

HEADER = "unit,period,u1,u2,u3,u4,u5,u6,u7,u8,u9,ikm,mutu,respondents,method"

# All nine elements 80,00 -> IKM 80 × 9 × 0,111 = 79,92 (B) with the official weight.
GOOD = "kelurahan-mawar,2023,80,80,80,80,80,80,80,80,80,79.92,B,120,Kertas"
# Mixed elements: Σu = 800 -> IKM 800 × 0,111 = 88,80 (A).
GOOD_MIXED = "puskesmas-cempaka,2023,90,92,85,100,88,87,90,88,80,88.80,A,310,Pihak ketiga"

KNOWN_MISTAKES = "\n".join(
    [
        HEADER,
        GOOD,  # row 2: ok
        "kelurahan-mawar,2022,80,80,80,80,80,80,80,80,80,85.00,B,100,Kertas",  # row 3: wrong IKM
        "puskesmas-cempaka,2022,80,80,80,80,80,80,80,80,80,79.92,A,100,Kertas",  # row 4: wrong letter
        "kelurahan-mawar,2021,80,80,80,80,80,80,80,80,120,84.36,B,100,Kertas",  # row 5: element out of range
        "kelurahan-tidak-ada,2023,80,80,80,80,80,80,80,80,80,79.92,B,100,Kertas",  # row 6: unknown unit
        GOOD_MIXED,  # row 7: ok
    ]
)
