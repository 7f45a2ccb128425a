import Foundation
import Testing
@testable import Ingest

/// Scrubbing is linear: a field of a mebibyte with digits, @ and spaces takes well under a second.
/// Timed in the CPU time of the scrubbing thread, not on the wall clock: beside the rest of the
/// suite a thread waits its turn (a run once took 11 s of wall time for 0.3 s of work).
@Suite struct ScrubTimingTests {
    /// CPU seconds the calling thread spends in `body`.
    static func cpuSeconds(_ body: () -> Void) -> Double {
        func now() -> Double {
            var spec = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
            return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
        }
        let started = now()
        body()
        return now() - started
    }

    static func field(bytes: Int) -> String {
        var text = ""
        var i = 0
        while text.utf8.count < bytes {
            text += "regel \(i) bedrag 1234 56 ref 12 34 56 78 @ "
            if i % 50 == 0 { text += "bel 06-12345678 of mail a.b@example.nl bsn 111222333 " }
            i += 1
        }
        return text
    }

    @Test func aMebibyteFieldIsScrubbedInUnderASecond() {
        let text = Self.field(bytes: 1 << 20)
        let guardian = PrivacyGuard(key: nil)
        var scrubbed = ""
        let seconds = Self.cpuSeconds { scrubbed = guardian.scrub(text) }
        #expect(seconds < 1, "took \(seconds) s of CPU")  // quadratic took hours
        #expect(!scrubbed.contains("06-12345678") && !scrubbed.contains("a.b@example.nl") && !scrubbed.contains("111222333"))
        #expect(guardian.counts["phone"] ?? 0 > 400)
    }
}

extension ScrubTimingTests {
    @Test func aLongRunBeforeAnAtSignIsLinear() {
        // A run of digits and letters with no space before an '@' made the old regular expression
        // start at every position and scan to the '@': quadratic (about 8 s for 32 KiB).
        let text = String(repeating: "0123456789abcdef", count: 65_536) + "@x " + String(repeating: "1 2 3 4 5 6 7 8 9 ", count: 10_000)
        let guardian = PrivacyGuard(key: nil)
        let seconds = Self.cpuSeconds { _ = guardian.scrub(text) }
        #expect(seconds < 1, "took \(seconds) s of CPU")  // quadratic took hours
    }

    @Test func emailAddressesAreFoundAsBefore() {
        let guardian = PrivacyGuard(key: nil)
        #expect(guardian.scrub("mail jan.jansen@example.nl, of m.de.vries+buurt@voorbeeld.org.") == "mail [verwijderd], of [verwijderd].")
        #expect(guardian.scrub("geen adres: a@b, @example.nl, x@y.z, 5@ 10 euro") == "geen adres: a@b, @example.nl, x@y.z, 5@ 10 euro")
        #expect(guardian.counts["email"] == 2)
    }
}
