#!/usr/bin/env python3
"""Deterministic ledger files for the load benchmark.

Writes the same journal lines twice: as the corporation exports them (Dutch: ';', decimal comma,
thousands dots, dd-mm-yyyy, Windows-1252 with CRLF) and pre-cleaned for psql \\copy (tab-separated,
ISO dates, dot decimals, the target's columns in order).
"""
import random
import sys

rows = int(sys.argv[1])
dutch_path, clean_path = sys.argv[2], sys.argv[3]
year = int(sys.argv[4]) if len(sys.argv) > 4 else 2019
rng = random.Random(year)
gemeenten = [("Assen", "GM0106"), ("De Wolden", "GM1690"), ("Hoogeveen", "GM0118"), ("Meppel", "GM0119"),
             ("Midden-Drenthe", "GM1731"), ("Noordenveld", "GM1699"), ("Ooststellingwerf", "GM0085"), ("Westerveld", "GM1701")]
levels = ["basis", "plus", "plusplus"]
categories = ["projecten", "bijdragen", "schoon-heel-veilig", "overig"]
words = ["Opschoonactie", "Buurtfeest", "Bijdrage buurthuis", "Tuinonderhoud", "Straatschildering", "Tentsessie", "Café-avond"]

def dutch_amount(cents):
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    euros, rest = divmod(cents, 100)
    s = f"{euros:,}".replace(",", ".")
    return f"{sign}{s},{rest:02d}"

with open(dutch_path, "w", encoding="cp1252", newline="") as d, open(clean_path, "w", encoding="utf-8", newline="") as c:
    d.write("Boekdatum;Dagboek;Boekstuk;Regel;Grootboek;Kostenplaats;Gemeente;Project;Inzet;Categorie;Omschrijving;Bedrag\r\n")
    for i in range(rows):
        doc, line = divmod(i, 20)
        day = 1 + rng.randrange(28)
        month = 1 + rng.randrange(12)
        name, code = gemeenten[rng.randrange(8)]
        level = levels[rng.randrange(3)]
        cat = categories[rng.randrange(4)]
        desc = f"{words[rng.randrange(len(words))]} {rng.randrange(1000)}"
        cents = rng.randrange(-50000, 2500000)
        project = f"P{rng.randrange(40):03d}"
        account = str(4400 + rng.randrange(20))
        costc = f"LB{rng.randrange(10):02d}"
        desc_d = f'"{desc}; regel {line + 1}"' if line % 7 == 0 else desc
        d.write(f"{day:02d}-{month:02d}-{year};MEM;{year}-{doc:06d};{line + 1};{account};{costc};{name};{project};{level};{cat};{desc_d};{dutch_amount(cents)}\r\n")
        desc_c = f"{desc}; regel {line + 1}" if line % 7 == 0 else desc
        c.write(f"{code}\tMEM\t{year}-{doc:06d}\t{line + 1}\t{year}-{month:02d}-{day:02d}\t{account}\t{costc}\t{project}\t{level}\t{cat}\t{desc_c}\t{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}\t0\t{i + 2}\n")
