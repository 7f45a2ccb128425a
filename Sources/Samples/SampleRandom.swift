/// A small deterministic generator (SplitMix64): the same seed gives the same sample files (and
/// the same cases in the property tests).
public struct SampleRandom: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A whole number in 0..<n.
    mutating func int(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    /// A whole number in a range.
    mutating func int(in range: ClosedRange<Int>) -> Int { range.lowerBound + int(range.count) }

    /// A number in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    public mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }

    /// Splits `total` (cents) into `parts` positive amounts that add up to it exactly.
    mutating func split(_ total: Int64, into parts: Int) -> [Int64] {
        guard parts > 1 else { return [total] }
        let weights = (0..<parts).map { _ in 0.3 + unit() }
        let sum = weights.reduce(0, +)
        var amounts = weights.map { Int64((Double(total) * $0 / sum).rounded(.down)) }
        amounts[parts - 1] += total - amounts.reduce(0, +)
        return amounts
    }
}
