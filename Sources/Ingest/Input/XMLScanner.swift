import Foundation

/// A small pull scanner for the XML of spreadsheet parts (sheets, shared strings, workbook,
/// styles): elements, attributes and text, read from a file 1 MiB at a time. No DTDs, no
/// namespaces beyond keeping prefixes in names; entities are the five predefined and numeric ones.
package final class XMLScanner {
    package enum Event {
        /// An element opens (`selfClosing`: `<c r="A1"/>`).
        case open(name: String, attributes: [String: String], selfClosing: Bool)
        case close(name: String)
        case text(String)
    }

    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEOF = false
    private let source: String

    package init(handle: FileHandle, source: String) {
        self.handle = handle
        self.source = source
    }

    /// Makes sure `count` bytes from the position are buffered (fewer at the end of the file).
    private func ensure(_ count: Int) throws -> Bool {
        while buffer.count - position < count {
            if atEOF { return false }
            guard let data = try handle.read(upToCount: 1 << 20), !data.isEmpty else {
                atEOF = true
                return buffer.count - position >= count
            }
            if position > 0 {
                buffer.removeFirst(position)
                position = 0
            }
            buffer.append(contentsOf: data)
        }
        return true
    }

    /// The index of `byte` at or after the position, reading on as needed.
    private func find(_ byte: UInt8) throws -> Int? {
        var i = position
        while true {
            while i < buffer.count {
                if buffer[i] == byte { return i }
                i += 1
            }
            let offset = i - position
            guard try ensure(offset + 1) else { return nil }
            i = position + offset
        }
    }

    /// The next event, or nil at the end of the document.
    package func next() throws -> Event? {
        while true {
            guard try ensure(1) else { return nil }
            if buffer[position] != UInt8(ascii: "<") {
                let end = try find(UInt8(ascii: "<")) ?? buffer.count
                let text = XMLScanner.unescape(buffer[position..<end])
                position = end
                return .text(text)
            }
            guard try ensure(2) else { throw malformed("a lone '<' at the end") }
            let second = buffer[position + 1]
            if second == UInt8(ascii: "?") || second == UInt8(ascii: "!") {
                try skipDeclaration()
                continue
            }
            guard let end = try find(UInt8(ascii: ">")) else { throw malformed("an unclosed tag") }
            let tag = buffer[(position + 1)..<end]
            position = end + 1
            if tag.first == UInt8(ascii: "/") {
                return .close(name: String(decoding: tag.dropFirst(), as: UTF8.self).trimmingCharacters(in: .whitespaces))
            }
            let selfClosing = tag.last == UInt8(ascii: "/")
            return try XMLScanner.element(selfClosing ? tag.dropLast() : tag, selfClosing: selfClosing, source: source)
        }
    }

    /// Text up to the close of the current element (`<t>…</t>`), nested markup skipped.
    package func text(until closing: String) throws -> String {
        var out = ""
        var depth = 0
        while let event = try next() {
            switch event {
            case .text(let t): out += t
            case .open(_, _, let selfClosing): if !selfClosing { depth += 1 }
            case .close(let name):
                if depth == 0 {
                    guard name == closing else { throw malformed("</\(name)> where </\(closing)> was expected") }
                    return out
                }
                depth -= 1
            }
        }
        throw malformed("the document ends inside <\(closing)>")
    }

    /// Skips `<?…?>`, `<!--…-->`, `<![CDATA[…]]>` (its text is not used in these parts) and `<!…>`.
    private func skipDeclaration() throws {
        _ = try ensure(4)
        let isComment = buffer.count - position >= 4 && buffer[position..<(position + 4)].elementsEqual("<!--".utf8)
        let terminator: [UInt8] = isComment ? Array("-->".utf8) : (buffer[position + 1] == UInt8(ascii: "?") ? Array("?>".utf8) : Array(">".utf8))
        var i = position + 2
        while true {
            while i + terminator.count <= buffer.count {
                if buffer[i..<(i + terminator.count)].elementsEqual(terminator) {
                    position = i + terminator.count
                    return
                }
                i += 1
            }
            let offset = i - position
            guard try ensure(offset + terminator.count) else { throw malformed("an unclosed declaration or comment") }
            i = position + offset
        }
    }

    private func malformed(_ what: String) -> WarehouseError {
        WarehouseError(.invalidInput, "\(source): malformed XML: \(what)")
    }

    /// Parses `name a="1" b='2'`.
    package static func element(_ tag: ArraySlice<UInt8>, selfClosing: Bool, source: String) throws -> Event {
        var i = tag.startIndex
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        while i < tag.endIndex, !isSpace(tag[i]) { i += 1 }
        let name = String(decoding: tag[tag.startIndex..<i], as: UTF8.self)
        var attributes: [String: String] = [:]
        while i < tag.endIndex {
            while i < tag.endIndex, isSpace(tag[i]) { i += 1 }
            guard i < tag.endIndex else { break }
            let keyStart = i
            while i < tag.endIndex, tag[i] != UInt8(ascii: "="), !isSpace(tag[i]) { i += 1 }
            let key = String(decoding: tag[keyStart..<i], as: UTF8.self)
            while i < tag.endIndex, isSpace(tag[i]) || tag[i] == UInt8(ascii: "=") { i += 1 }
            guard i < tag.endIndex, tag[i] == UInt8(ascii: "\"") || tag[i] == UInt8(ascii: "'") else {
                throw WarehouseError(.invalidInput, "\(source): malformed XML: attribute \(key) of <\(name)> has no quoted value")
            }
            let quote = tag[i]
            i += 1
            let valueStart = i
            while i < tag.endIndex, tag[i] != quote { i += 1 }
            attributes[key] = unescape(tag[valueStart..<i])
            i += 1
        }
        return .open(name: name, attributes: attributes, selfClosing: selfClosing)
    }

    /// Replaces `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#NN;` `&#xNN;`.
    package static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        let text = String(decoding: bytes, as: UTF8.self)
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";"), rest.distance(from: amp, to: semi) <= 10 else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                var scalar: Unicode.Scalar?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init)
                }
                if let scalar { out.unicodeScalars.append(scalar) } else { out += rest[amp...semi] }
            }
            rest = rest[rest.index(after: semi)...]
        }
        out += rest
        return out
    }
}
