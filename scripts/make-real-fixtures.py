#!/usr/bin/env python3
"""Writes the fixtures in Tests/Fixtures/real/: files shaped like what gemeenten, BZK, CBS and
partners publish (a subsidy register, a Leefbaarometer 3.0 export, the Leefbaarometer 2.0
workbook, a JSON list of classes, a CBS kerncijfers table, an SAP line-item export, a partner's
spending workbook, ZIP downloads). Deterministic; run again to remake. The workbooks' values are
also written to CSV twins, so tests can sum them without an xlsx reader.
Needs openpyxl (pip install openpyxl)."""
import os, random, re, shutil, tempfile, zipfile
from decimal import Decimal

out = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "real")
os.makedirs(out, exist_ok=True)
rnd = random.Random(2019)

# Werkgebied buurten (CBS codes of the sample geography) and some outside it.
inside = ["BU01060000", "BU01060001", "BU01060710", "BU01180101", "BU17310001", "BU00850101", "BU16900101", "BU17010101"]
outside = ["BU03630000", "BU03630001", "BU05990101", "BU00140001"]

def lbm_value(small=False):
    v = rnd.uniform(-0.3, 0.3)
    if small:
        v = rnd.uniform(-9e-4, 9e-4) * 0.1
    return repr(v)

# 1. Gemeente subsidy register: ';', NULL amounts, SQL timestamps, a year column. -------------
rows = []
regelingen = ["Leefbaarheid wijken", "Bewonersinitiatief", "Sport en bewegen", "Cultuur"]
for i in range(1, 61):
    jaar = rnd.choice([2018, 2019, 2019, 2020])
    status = rnd.choice(["Verleend", "Verleend", "Verleend", "Afgewezen", "Ingetrokken"])
    aangevraagd = Decimal(rnd.randint(50000, 2500000)) / 100
    verleend = "NULL" if status != "Verleend" or i % 17 == 0 else f"{(aangevraagd * Decimal('0.8')).quantize(Decimal('0.01'))}"
    aanvraag = f"{jaar - (1 if i % 5 == 0 else 0)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d} 00:00:00.000"
    beschikking = "NULL" if status == "Afgewezen" else f"{jaar}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d} 14:{rnd.randint(0, 59):02d}:00.000"
    rows.append([f"SUB-{jaar}-{i:04d}", str(jaar), f"Stichting Buurt {i % 9}", rnd.choice(regelingen), aanvraag, beschikking,
                 f"{aangevraagd}", verleend, status])
with open(os.path.join(out, "subsidieregister-assen.csv"), "w", encoding="utf-8", newline="") as f:
    f.write("SUBSIDIE_ID;SUBSIDIEJAAR;AANVRAGER;REGELING;DATUM_AANVRAAG;DATUM_BESCHIKKING;AANGEVRAAGD_BEDRAG;VERLEEND_BEDRAG;STATUS\r\n")
    for r in rows:
        f.write(";".join(r) + "\r\n")

# 2. Leefbaarometer 3.0 export: BZK columns plus a pandas index column, 16-digit values, e-notation.
with open(os.path.join(out, "leefbaarometer-3.0-buurten.csv"), "w", encoding="utf-8", newline="") as f:
    f.write(",bu_code,bu_naam,gm_naam,jaar,lbm,afw,fys,onv,soc,vrz,won\n")
    n = 0
    for jaar in (2020, 2022):
        for code in inside + outside:
            vals = [repr(4 + rnd.uniform(-0.4, 0.4))] + [lbm_value(small=(k == 2 and code.endswith("1"))) for k in range(6)]
            if code == "BU05990101" and jaar == 2022:
                vals[2] = "n.v.t."   # a bad value in a row outside the werkgebied: skipped, not rejected
            f.write(f"{n},{code},Buurt {code[-4:]},Gemeente {code[2:6]},{jaar}," + ",".join(vals) + "\n")
            n += 1

# 3. Leefbaarometer 2.0 workbook: a long sheet and a wide sheet with title rows. --------------
from openpyxl import Workbook
dims = ["RLBRMTR", "RLBWON", "RLBFYS", "RLBVRZ", "RLBSOC", "RLBVEI"]
twin = []   # sheet, area, year, dimension, exact text stored
wb = Workbook()
lang = wb.active
lang.title = "Lang"
lang.append(["GBD", "JAAR"] + dims)
for year in (2002, 2008):
    for code in inside + outside[:2]:
        values = [4 + rnd.uniform(-0.5, 0.5)] + [rnd.uniform(-0.2, 0.2) for _ in dims[1:]]
        lang.append([code, year] + values)
        for d, v in zip(dims, values):
            twin.append(("Lang", code, year, d, v))
breed = wb.create_sheet("Breed")
breed.append(["Leefbaarometer 2.0: scores per buurt, edities 2012-2016"])
breed.append([])
header = ["GBD"] + [f"{d}{y}" for y in ("12", "14", "16") for d in dims]
breed.append(header)
for code in inside + outside[:2]:
    row = [code]
    for y in ("12", "14", "16"):
        for d in dims:
            v = (4 + rnd.uniform(-0.5, 0.5)) if d == "RLBRMTR" else rnd.uniform(-0.2, 0.2)
            if d == "RLBVEI" and y == "12" and code == inside[0]:
                v = None    # an empty cell: no row
            row.append(v)
            if v is not None:
                twin.append(("Breed", code, 2000 + int(y), d, v))
    breed.append(row)
tmp = tempfile.mkdtemp()
raw = os.path.join(tmp, "raw.xlsx")
wb.save(raw)
# Excel writes small numbers in E notation (-6.2716917700698496E-2): write every value that way in
# the sheets, as text of 17 significant digits, and keep exactly that text in the twin.
def e17(v):
    return f"{v:.16E}".replace("E-0", "E-").replace("E+0", "E+")
stored = {}
for i, (sheet, code, year, d, v) in enumerate(twin):
    stored[i] = e17(v)
dst = os.path.join(out, "leefbaarometer-2.0.xlsx")
# Excel keeps text in a shared-strings part: move openpyxl's inline strings there.
shared = []
def share(m):
    t = m.group(2)
    if t not in shared:
        shared.append(t)
    return f'{m.group(1)} t="s"><v>{shared.index(t)}</v></c>'
with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    parts = {item.filename: zin.read(item.filename) for item in zin.infolist()}
    for name in list(parts):
        if name.startswith("xl/worksheets/sheet"):
            parts[name] = re.sub(r'(<c r="[A-Z]+[0-9]+") t="inlineStr"><is><t>([^<]*)</t></is></c>', share, parts[name].decode("utf-8")).encode("utf-8")
    parts["xl/sharedStrings.xml"] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(shared)}" uniqueCount="{len(shared)}">' + "".join(f"<si><t>{t}</t></si>" for t in shared) + "</sst>").encode("utf-8")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>",
        b'<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    for name, data in parts.items():
        if name.startswith("xl/worksheets/sheet"):
            # The cells with a fraction, in document order, are the twin's values of that sheet in order.
            sheet = "Lang" if name.endswith("sheet1.xml") else "Breed"
            texts = iter(stored[i] for i, t in enumerate(twin) if t[0] == sheet)
            text = re.sub(r'(<c r="[A-Z]+[0-9]+"(?: t="n")?><v>)([-0-9.eE+]+)</v>',
                          lambda m: m.group(1) + next(texts) + "</v>" if "." in m.group(2) else m.group(0), data.decode("utf-8"))
            assert next(texts, None) is None, "every value of " + sheet + " written"
            data = text.encode("utf-8")
        zi = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        zi.compress_type = zipfile.ZIP_DEFLATED
        zout.writestr(zi, data)
shutil.rmtree(tmp)
with open(os.path.join(out, "leefbaarometer-2.0-twin.csv"), "w", encoding="utf-8", newline="") as f:
    f.write("sheet,gbd,jaar,dimensie,waarde\n")
    for i, (sheet, code, year, d, v) in enumerate(twin):
        f.write(f"{sheet},{code},{year},{d},{stored[i]}\n")

# 4. The Leefbaarometer classes as a JSON array (pretty-printed, as APIs publish them). -------
names = ["zeer onvoldoende", "ruim onvoldoende", "onvoldoende", "zwak", "voldoende", "ruim voldoende", "goed", "zeer goed", "uitstekend"]
bounds = [None, -0.3, -0.2, -0.1, -0.05, 0.0, 0.05, 0.1, 0.2, None]
with open(os.path.join(out, "leefbaarometer-klassen.json"), "w", encoding="utf-8") as f:
    f.write("[\n")
    for i, n in enumerate(names):
        lo = "null" if bounds[i] is None else repr(bounds[i])
        hi = "null" if bounds[i + 1] is None else repr(bounds[i + 1])
        f.write(f'  {{\n    "klasse": {i + 1},\n    "omschrijving": "{n}",\n    "ondergrens": {lo},\n    "bovengrens": {hi},\n    "kleur": "#{i}{i}{i}"\n  }}{"," if i < 8 else ""}\n')
    f.write("]\n")

# 5. CBS kerncijfers wijken en buurten: title lines, ';', quoted, padded codes, '.' for missing.
lines = ['"Kerncijfers wijken en buurten 2019"', '"Bron: CBS, StatLine"', '""',
         '"Wijken en buurten";"Gemeentenaam";"Soort regio";"Codering";"Indelingswijziging wijken en buurten";"Aantal inwoners"',
         '"Nederland";"";"Land";"NL00      ";".";"17282163"']
for g, name in (("0106", "Assen"), ("1731", "Midden-Drenthe"), ("0363", "Amsterdam")):
    lines.append(f'"{name}";"{name}";"Gemeente  ";"GM{g}    ";".";"{rnd.randint(10000, 90000)}"')
    for w in range(2):
        lines.append(f'"Wijk 0{w} {name}";"{name}";"Wijk      ";"WK{g}0{w}  ";"1";"{rnd.randint(1000, 9000)}"')
        for b in range(3):
            lines.append(f'"Buurt {w}{b}";"{name}";"Buurt     ";"BU{g}0{w}0{b}";".";"{"." if b == 2 else rnd.randint(100, 900)}"')
with open(os.path.join(out, "kwb-2019.csv"), "w", encoding="cp1252", newline="") as f:
    f.write("\r\n".join(lines) + "\r\n")
# 6. SAP line items of the livability accounts (FBL3N saved as a spreadsheet file, Dutch user
# settings): ';', Windows-1252, CRLF, dd.mm.yyyy, credits with the minus after the amount.
sap = random.Random(20191231)
accounts = ["480100", "480200", "480300"]
centres = ["4100ASSEN", "4200HOOG", "4300MIDD", "4400MEPP"]
texts = ["Schoonmaak portiek", "Buurtbemiddeling Q{q}", "Bewonersavond café", "Opruimactie groen", "Huismeester inzet", "Storno dubbele boeking"]
lines = ["Bedrijfsnummer;Grootboekrekening;Toewijzing;Documentnummer;Boekingsregel;Documentsoort;Boekingsdatum;Kostenplaats;WBS-element;Bedrag in lokale valuta;Lokale valuta;Tekst"]
for i in range(36):
    d, m = sap.randint(1, 28), sap.randint(1, 12)
    account, centre = sap.choice(accounts), sap.choice(centres)
    credit = i % 5 == 3
    cents = sap.randint(100, 45000000)
    amount = f"{cents // 100:,}".replace(",", ".") + f",{cents % 100:02d}" + ("-" if credit else "")
    text = sap.choice(texts).replace("{q}", str((m - 1) // 3 + 1))
    if credit:
        text = "Creditnota " + text.lower()
    wbs = f"LB-2019-{sap.randint(1, 9):02d}" if sap.random() < 0.5 else ""
    lines.append(f"1000;{account};{centre};{1900000101 + i};{2 if credit else 1};{'KG' if credit else 'KR'};{d:02d}.{m:02d}.2019;{centre};{wbs};{amount};EUR;{text}")
lines.append("1000;480100;4100ASSEN;1900000200;1;SA;31.12.2019;4100ASSEN;;0,00;EUR;Herclassificatie")
lines.append("1000;480200;4200HOOG;1900000201;1;SA;31.12.2019;4200HOOG;;12.000,00-;EUR;Afboeking voorziening")
with open(os.path.join(out, "sap-fbl3n-2019.csv"), "w", encoding="cp1252", newline="") as f:
    f.write("\r\n".join(lines) + "\r\n")
# 7. A partner's spending workbook (pandas/openpyxl-made, inline strings): a title row, the header
# on row 3, booking dates as date cells, amounts mostly number cells and some typed as Dutch text
# ('1.234,56', '-2.993,04', '€ 1.359,13'), as happens when figures are pasted in. Twin CSV: each amount
# as it stands in the sheet (a number's stored text, or the text).
import datetime
from openpyxl import Workbook as _Workbook
book = random.Random(2024)
wb = _Workbook()
ws = wb.active
ws.title = "Uitgaven 2019"
ws.append(["Uitgaven leefbaarheid 2019 (Vaart Welzijn)"])
ws.append([])
ws.append(["Datum", "Dagboek", "Boekstuk", "Regel", "Gemeente", "Inzet", "Omschrijving", "Bedrag"])
twin_rows = []
for i in range(1, 31):
    date = datetime.date(2019, book.randint(1, 12), book.randint(1, 28))
    gemeente = book.choice(["Assen", "Hoogeveen", "Meppel"])
    inzet = book.choice(["basis", "plus", "plusplus"])
    cents = book.randint(-30000, 400000)
    if i % 6 == 0:
        whole, frac = divmod(abs(cents), 100)
        amount = ("-" if cents < 0 else "") + f"{whole:,}".replace(",", ".") + f",{frac:02d}"
        if i == 12:
            amount = "€ " + amount
        if i == 18 and cents > 0:
            amount = "-" + amount    # a correction
        stored = amount
    elif i % 7 == 0:
        amount = cents // 100          # a whole number
        stored = str(amount)
    else:
        amount = cents / 100
        stored = repr(amount)
    ws.append([date, "VW", f"VW-{i:03d}", 1, gemeente, inzet, f"Activiteit {i}", amount])
    row = ws.max_row
    ws.cell(row=row, column=1).number_format = "dd-mm-yyyy"
    if not isinstance(amount, str):
        ws.cell(row=row, column=8).number_format = "#,##0.00"
    twin_rows.append((f"VW-{i:03d}", gemeente, stored))
wb.properties.created = wb.properties.modified = datetime.datetime(2020, 1, 15, 9, 0, 0)
tmp = tempfile.mkdtemp()
raw = os.path.join(tmp, "raw.xlsx")
wb.save(raw)
# The twin holds each number as the sheet stores it (590.3200000000001, as Excel and openpyxl may).
with zipfile.ZipFile(raw) as zin:
    cells = dict(re.findall(r'<c r="H([0-9]+)"[^>]*t="n"><v>([^<]*)</v>', zin.read("xl/worksheets/sheet1.xml").decode("utf-8")))
twin_rows = [(d, g, cells.get(str(4 + i), v)) for i, (d, g, v) in enumerate(twin_rows)]
with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(os.path.join(out, "uitgaven-partner-2019.xlsx"), "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
            data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2020-01-15T09:00:00Z", data)
        zi = zipfile.ZipInfo(item.filename, date_time=(2020, 1, 15, 9, 0, 0))
        zi.compress_type = zipfile.ZIP_DEFLATED
        zout.writestr(zi, data)
shutil.rmtree(tmp)
with open(os.path.join(out, "uitgaven-partner-2019-twin.csv"), "w", encoding="utf-8", newline="") as f:
    f.write("boekstuk;gemeente;bedrag\n")
    for r in twin_rows:
        f.write(";".join(r) + "\n")
# 8. A download as published: a ZIP archive holding the Leefbaarometer 3.0 CSV and an explanation.
with zipfile.ZipFile(os.path.join(out, "leefbaarometer-download.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    for name, data in (("leefbaarometer-3.0-buurten.csv", open(os.path.join(out, "leefbaarometer-3.0-buurten.csv"), "rb").read()),
                       ("toelichting.txt", "Leefbaarometer 3.0: scores per buurt. Zie leefbaarometer.nl.\r\n".encode("utf-8"))):
        zi = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        zi.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(zi, data)
# 9. Visitor counts as JSON Lines, also packed in a ZIP archive with a note (the twin is the plain file).
visits = random.Random(2025)
lines = []
for day in range(1, 29):
    lines.append('{"locatie": "Beleefhuis", "datum": "2019-02-%02d", "gemeente": "Assen", "bezoekers": %d}' % (day, visits.randint(5, 80)))
with open(os.path.join(out, "bezoekers-2019.jsonl"), "w", encoding="utf-8", newline="") as f:
    f.write("\n".join(lines) + "\n")
with zipfile.ZipFile(os.path.join(out, "bezoekers-download.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    for name, data in (("bezoekers-2019.jsonl", ("\n".join(lines) + "\n").encode("utf-8")), ("lees mij.txt", b"Bezoekers per dag.\r\n")):
        zi = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        zi.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(zi, data)
print("wrote", sorted(os.listdir(out)))
