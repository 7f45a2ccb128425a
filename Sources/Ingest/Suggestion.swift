/// "Did you mean …?" for names typed on a command line: the closest known name, when it is close.
public enum Suggestion {
    /// The known name nearest to `word` by edit distance, if within a third of its length (at least 2).
    public static func nearest(_ word: String, in known: [String]) -> String? {
        let limit = max(2, word.count / 3)
        let scored = known.map { ($0, distance(word.lowercased(), $0.lowercased())) }.filter { $0.1 <= limit }
        return scored.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }?.0
    }

    /// " Did you mean 'load'?" or "".
    public static func phrase(_ word: String, in known: [String]) -> String {
        nearest(word, in: known).map { " Did you mean '\($0)'?" } ?? ""
    }

    /// Levenshtein distance.
    package static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
