"""Messy tables made here, the way published CSV files look (no third-party data).

penguin_rows draws a penguins-like table: three species told apart by bill
and flipper sizes and body mass (means and spreads of the size the published
Palmer penguins have), an island column tied to the species, a sex column,
and NA cells in the numbers and the text. write_table writes rows the way R,
pandas or a European spreadsheet would.
"""

import csv
import random

PENGUIN_COLUMNS = ["species", "island", "bill_length_mm", "bill_depth_mm",
                   "flipper_length_mm", "body_mass_g", "sex"]
# species: (share of rows, islands, (mean, sd) of bill length, bill depth, flipper, mass)
SPECIES = {
    "Adelie": (0.44, ["Biscoe", "Dream", "Torgersen"],
               [(38.8, 2.7), (18.3, 1.2), (190.0, 6.5), (3700.0, 460.0)]),
    "Chinstrap": (0.20, ["Dream"], [(48.8, 3.3), (18.4, 1.1), (196.0, 7.1), (3733.0, 384.0)]),
    "Gentoo": (0.36, ["Biscoe"], [(47.5, 3.1), (15.0, 1.0), (217.0, 6.5), (5076.0, 504.0)]),
}


def penguin_rows(n=344, seed=0, na_share=0.03):
    """Rows [species, island, 4 sizes, sex] as text, with 'NA' in about na_share of the
    size and sex cells, and one row with every measurement missing."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        species = rng.choices(list(SPECIES), weights=[s[0] for s in SPECIES.values()])[0]
        _, islands, sizes = SPECIES[species]
        values = [f"{rng.gauss(m, s):.1f}" for m, s in sizes]
        values = [v if rng.random() > na_share else "NA" for v in values]
        sex = rng.choice(["male", "female"]) if rng.random() > na_share else "NA"
        rows.append([species, rng.choice(islands)] + values + [sex])
    rows[3][2:] = ["NA"] * 5  # like the published file's fourth row
    return rows


def write_table(path, header, rows, *, style="plain"):
    """Write rows to path: "plain" (comma, no index), "r" (write.csv: quoted, an
    unnamed index column 1..n), "pandas" (to_csv: an unnamed index 0..n-1, empty
    cells for NA), "semicolon" (a European spreadsheet: ; and decimal commas),
    "tab", or "crlf-bom" (Excel: a byte-order mark and CRLF line ends)."""
    if style == "r":
        header, rows = [""] + header, [[str(i + 1)] + r for i, r in enumerate(rows)]
    if style == "pandas":
        header = [""] + header
        rows = [[str(i)] + ["" if c == "NA" else c for c in r] for i, r in enumerate(rows)]
    if style == "semicolon":
        rows = [[c.replace(".", ",") for c in r] for r in rows]
    delimiter = {"semicolon": ";", "tab": "\t"}.get(style, ",")
    quoting = csv.QUOTE_NONNUMERIC if style == "r" else csv.QUOTE_MINIMAL
    ending = "\r\n" if style == "crlf-bom" else "\n"
    encoding = "utf-8-sig" if style == "crlf-bom" else "utf-8"
    with open(path, "w", newline="", encoding=encoding) as f:
        writer = csv.writer(f, delimiter=delimiter, quoting=quoting, lineterminator=ending)
        writer.writerow(header)
        writer.writerows(rows)
    return str(path)
