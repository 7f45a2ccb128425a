import Crypto
import Foundation
import ZIPFoundation

/// What is known about an input file before it is parsed: size, BOM, encoding, delimiter, from its
/// identity and first 64 KiB. Its SHA-256 is read apart (`checksum`): before the load when the file
/// may have been loaded already, else beside it (`BackgroundSHA256`).
package struct FileProbe {
    package let path: String
    package let size: Int
    package let bomLength: Int
    package let encoding: TextEncoding
    package let delimiter: UInt8
    /// Whether a CSV file's first line is Excel's delimiter hint (`sep=;`): the line gives the
    /// delimiter and is no title, header or data.
    package let separatorLine: Bool
    /// The file's identity, size and modification time when it was read: the SHA-256 recorded is
    /// of exactly the bytes loaded only while these stay the same.
    package let identity: FileIdentity
    /// The data file a ZIP archive (a download as published) holds, when `path` is one: its name in
    /// the archive. It is inflated to a temporary file (`dataPath`, removed with the probe);
    /// `path`, `size`, the identity and the checksum stay the archive's.
    package let entry: String?
    /// The file whose records are read: `path`, or the inflated entry.
    package let dataPath: String
    /// The size of `dataPath`.
    package let dataSize: Int
    private let inflated: XLSXSource.TemporaryFile?
    /// Bytes read of `dataPath` as bytes of the file (a progress display counts the archive's).
    package func fileBytes(_ read: Int) -> Int {
        entry == nil || dataSize == 0 ? read : Int(Double(read) / Double(dataSize) * Double(size))
    }
    /// The file as messages name it: its path, with the entry when it came from an archive.
    package var name: String { FileProbe.name(path, entry: entry) }
    /// A file's path as messages name it, with the entry read from it when it is an archive.
    package static func name(_ path: String, entry: String?) -> String { entry.map { "\(path) (\($0))" } ?? path }

    package init(path: String, input: InputFormat) throws {
        self.path = path
        let handle = try openForReading(path)
        defer { try? handle.close() }
        identity = try FileIdentity(handle.fileDescriptor, path: path)
        size = Int(identity.size)
        var first = try FileProbe.start(handle)
        if input.format != .xlsx, first.starts(with: FileProbe.zipSignature), let (name, temporary) = try FileProbe.dataInArchive(path, input.format) {
            entry = name
            inflated = temporary
            dataPath = temporary.path
            let inner = try openForReading(temporary.path)
            defer { try? inner.close() }
            dataSize = Int(try FileIdentity(inner.fileDescriptor, path: temporary.path).size)
            first = try FileProbe.start(inner)
        } else {
            (entry, inflated, dataPath, dataSize) = (nil, nil, path, size)
        }
        bomLength = first.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        try FileProbe.refuseWrongKind(first, bomLength: bomLength, input: input, path: FileProbe.name(path, entry: entry))
        let sample = Array(first.dropFirst(bomLength))
        switch input.encoding {
        case .fixed(let e): encoding = e
        case .auto: encoding = bomLength > 0 ? .utf8 : sample.withUnsafeBufferPointer { TextEncoding.sniff($0) }
        }
        let hinted = input.format == .csv ? FileProbe.separatorHint(sample) : nil
        separatorLine = hinted != nil
        switch (input.delimiter, hinted) {
        case (.byte(let b), let hint?) where hint != b:
            throw WarehouseError(
                .invalidInput,
                "\(path):1: the file says its delimiter is \(FileProbe.shown(hint)) (sep=), the spec says \(FileProbe.shown(b)): set delimiter: auto, or the file's; the file is refused, nothing loaded"
            )
        case (.byte(let b), _): delimiter = b
        case (.auto, let hint?): delimiter = hint
        case (.auto, nil): delimiter = FileProbe.detectDelimiter(sample, quote: input.quote)
        }
    }

    /// The first 64 KiB of a file.
    private static func start(_ handle: FileHandle) throws -> [UInt8] {
        var first: [UInt8] = []
        while first.count < 1 << 16, let data = try handle.read(upToCount: (1 << 16) - first.count), !data.isEmpty {
            first.append(contentsOf: data)
        }
        return first
    }

    static let zipSignature: [UInt8] = [0x50, 0x4B, 0x03, 0x04]

    /// The one data file of the spec's format a ZIP archive that is no workbook holds (csv: `.csv`
    /// or `.tsv`, else `.txt`; jsonl: `.jsonl` or `.ndjson`; json: `.json`), inflated to a
    /// temporary file; nil for a workbook or an archive that cannot be read (refused as such after).
    /// An archive with no such file, or several, is refused naming what it holds.
    private static func dataInArchive(_ path: String, _ format: InputFormat.Format) throws -> (String, XLSXSource.TemporaryFile)? {
        guard let archive = try? openArchive(path) else { return nil }
        let entries = Array(archive).filter { $0.type == .file }
        let names = entries.map(\.path)
        guard !names.isEmpty, !names.contains("xl/workbook.xml") else { return nil }
        // .csv and .tsv files; .txt ones only when there are none (a download's explanation is often one).
        func named(_ endings: [String]) -> [Entry] {
            entries.filter { e in !e.path.hasPrefix("__MACOSX/") && endings.contains { e.path.lowercased().hasSuffix($0) } }
        }
        let endings: [String] =
            switch format {
            case .jsonl: [".jsonl", ".ndjson"]
            case .json: [".json"]
            default: [".csv", ".tsv"]
            }
        let found = named(endings)
        let data = found.isEmpty && format == .csv ? named([".txt"]) : found
        guard data.count == 1, let only = data.first else {
            throw WarehouseError(
                .invalidInput,
                "\(path): a ZIP archive holding \(shownNames(names)), \(data.isEmpty ? "none of them" : "\(data.count) of them") a \(endings[0]) file: unzip it and load the file inside; the file is refused, nothing loaded"
            )
        }
        return (shownNames([only.path]), XLSXSource.TemporaryFile(path: try XLSXSource.inflate(archive, only.path, file: path)))
    }

    /// Names from an archive as a message shows them: they are the archive's, not ours, so control
    /// characters (a newline that would start a fake log line) are shown as ?, each name is cut at
    /// 80 characters, and five at most are listed.
    static func shownNames(_ names: [String]) -> String {
        let safe = names.prefix(5).map { name in
            String(String.UnicodeScalarView(name.unicodeScalars.prefix(80).map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
        }
        return safe.joined(separator: ", ") + (names.count > 5 ? ", … (\(names.count) files)" : "")
    }

    /// The delimiter a first line `sep=X` names (Excel writes it, and reads a file by it), or nil.
    /// Only the whole line counts: `sep=` and one byte, then the line's end.
    package static func separatorHint(_ bytes: [UInt8]) -> UInt8? {
        guard bytes.count >= 5, bytes.prefix(4).map({ $0 | 0x20 }) == Array("sep=".utf8) else { return nil }
        let hint = bytes[4]
        guard hint != 0x0A, hint != 0x0D, hint != 0x22, hint != 0, hint < 0x80 else { return nil }
        guard bytes.count == 5 || bytes[5] == 0x0A || bytes[5] == 0x0D else { return nil }
        return hint
    }

    /// A delimiter as a reader writes it in a spec.
    static func shown(_ delimiter: UInt8) -> String {
        delimiter == 0x09 ? "tab" : "'\(Character(Unicode.Scalar(delimiter)))'"
    }

    /// Refuses a file that changed since it was probed (appended to, rewritten, replaced).
    package func requireUnchanged() throws {
        var now = stat()
        guard lstat(path, &now) == 0 else {
            throw WarehouseError(.fileChanged, "\(path): the file vanished while it was loaded; nothing loaded")
        }
        guard FileIdentity(now) == identity else { throw FileProbe.changed(path) }
    }

    /// The SHA-256 of the file's bytes, read now (`shouldStop` asked before each MiB); refused
    /// when the file is no longer the one probed.
    package func checksum(shouldStop: () -> Bool = { false }) throws -> String {
        let handle = try openForReading(path)
        defer { try? handle.close() }
        guard try FileIdentity(handle.fileDescriptor, path: path) == identity else { throw FileProbe.changed(path) }
        var hasher = SHA256()
        var read: Int64 = 0
        while !shouldStop(), let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
            hasher.update(data: data)
            read += Int64(data.count)
        }
        guard read == identity.size else { throw FileProbe.changed(path) }
        return hasher.finalize().hexDigits
    }

    static func changed(_ path: String) -> WarehouseError {
        WarehouseError(.fileChanged, "\(path): the file changed while it was loaded (it is still being written?); nothing loaded, it loads once it is complete")
    }

    /// Refuses, before anything is stored, a file that is not what the spec reads: a workbook given
    /// to a text spec (or the reverse), a JSON array given to `jsonl`, UTF-16, binary data.
    package static func refuseWrongKind(_ first: [UInt8], bomLength: Int, input: InputFormat, path: String) throws {
        func refuse(_ why: String) -> WarehouseError {
            WarehouseError(.invalidInput, "\(path): \(why); the file is refused, nothing loaded")
        }
        let zip = first.starts(with: zipSignature)
        if input.format == .xlsx {
            if !zip { throw refuse("not an Excel workbook (.xlsx files are ZIP archives; this one does not start like one)") }
            return
        }
        // A download's archive was read through, or refused naming what it holds, before this: a
        // ZIP archive here is a workbook (or one that cannot be read).
        if zip { throw refuse("an Excel workbook (or another ZIP archive), not \(input.format.rawValue) text: use format: xlsx") }
        if first.starts(with: [0xFF, 0xFE]) || first.starts(with: [0xFE, 0xFF]) {
            throw refuse("UTF-16 text: save it as UTF-8 (or Windows-1252) and load it again")
        }
        if first.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { throw refuse("an old Excel (.xls) or other OLE file: save it as .xlsx or CSV") }
        if first.starts(with: Array("%PDF".utf8)) { throw refuse("a PDF document, not data") }
        // A stray NUL in a field is a row reject; text that is a tenth NUL is not text at all.
        let head = first.prefix(4096)
        if head.count >= 16, head.lazy.filter({ $0 == 0 }).count * 10 > head.count {
            throw refuse("binary data (many NUL bytes near the start), not \(input.format.rawValue) text")
        }
        let firstSignificant = first.dropFirst(bomLength).first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        if input.format == .jsonl, firstSignificant == UInt8(ascii: "[") {
            throw refuse("a JSON array ([ … ]), not JSON Lines: use format: json")
        }
        if input.format == .json, firstSignificant == UInt8(ascii: "{") {
            throw refuse("JSON objects, not a JSON array: one object per line is format: jsonl")
        }
    }

    /// The most frequent of `;`, `,`, tab and `|` outside quotes on the first line (`;` on a tie).
    package static func detectDelimiter(_ bytes: [UInt8], quote: UInt8) -> UInt8 {
        let candidates: [UInt8] = [0x3B, 0x2C, 0x09, 0x7C]
        var counts = [Int](repeating: 0, count: candidates.count)
        var quoted = false
        for b in bytes {
            if b == quote {
                quoted.toggle()
                continue
            }
            if !quoted && (b == 0x0A || b == 0x0D) { break }
            if !quoted, let i = candidates.firstIndex(of: b) { counts[i] += 1 }
        }
        guard let best = counts.indices.max(by: { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }), counts[best] > 0 else {
            return 0x3B
        }
        return candidates[best]
    }
}

/// Device, inode, size and modification time of a file.
package struct FileIdentity: Equatable {
    package let device: UInt64, inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int

    package init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        seconds = Int(info.st_mtim.tv_sec)
        nanoseconds = Int(info.st_mtim.tv_nsec)
    }

    package init(_ descriptor: Int32, path: String) throws {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw WarehouseError(.missingFile, "\(path): cannot stat the file: \(String(cString: strerror(errno)))")
        }
        self.init(info)
    }
}
