#!/usr/bin/env python3
"""A large ledger workbook (.xlsx) for the xlsx benchmark, written as Excel does: shared strings,
dates as serials with a date style, amounts as numbers. Streams the sheet into the ZIP, so any
size can be made. Usage: gen_xlsx.py ROWS OUT.xlsx   (prints the sum of the amounts)."""
import random, sys, zipfile
from decimal import Decimal

rows, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(2019)
gemeenten = ["Assen", "De Wolden", "Hoogeveen", "Meppel", "Midden-Drenthe", "Noordenveld", "Ooststellingwerf", "Westerveld"]
levels = ["basis", "plus", "plusplus"]
strings = ["Boekdatum", "Dagboek", "Boekstuk", "Regel", "Gemeente", "Inzet", "Omschrijving", "Bedrag", "MEM"] + gemeenten + levels
words = [f"Activiteit {i}" for i in range(500)]
strings += words
index = {s: i for i, s in enumerate(strings)}
total = Decimal(0)
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
               '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
               '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
               '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
               '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')
    z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Grootboek" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
               '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
               '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>')
    z.writestr("xl/styles.xml", '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>')
    z.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>")
    with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
        f.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        head = "".join(f'<c r="{c}1" t="s"><v>{index[s]}</v></c>' for c, s in zip("ABCDEFGH", strings[:8]))
        f.write(f'<row r="1">{head}</row>'.encode())
        buf = []
        for r in range(2, rows + 2):
            serial = 43466 + rng.randrange(365)          # a day of 2019
            cents = rng.randrange(-5000, 500000)
            total += Decimal(cents) / 100
            amount = f"{cents / 100:.2f}".rstrip("0").rstrip(".") if cents % 100 else str(cents // 100)
            buf.append(f'<row r="{r}"><c r="A{r}" s="1"><v>{serial}</v></c><c r="B{r}" t="s"><v>8</v></c><c r="C{r}"><v>{r // 4}</v></c>'
                       f'<c r="D{r}"><v>{r % 4}</v></c><c r="E{r}" t="s"><v>{index[gemeenten[r % 8]]}</v></c><c r="F{r}" t="s"><v>{index[levels[r % 3]]}</v></c>'
                       f'<c r="G{r}" t="s"><v>{index[words[r % 500]]}</v></c><c r="H{r}"><v>{amount}</v></c></row>')
            if len(buf) >= 10000:
                f.write("".join(buf).encode())
                buf = []
        f.write(("".join(buf) + "</sheetData></worksheet>").encode())
print(f"{total:.2f}")
