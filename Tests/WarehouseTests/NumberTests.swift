import Testing
@testable import Warehouse

/// Exact numbers as published: e-notation, rounding only when declared.
@Suite struct NumberTests {
    @Test func scientificNotationIsExactInBothStyles() {
        let plain = ExactDecimal.Style.plain, dutch = ExactDecimal.Style.dutch
        #expect(ExactDecimal.parse("9.15237961440333e-05", style: plain)?.description == "0.0000915237961440333")
        #expect(ExactDecimal.parse("-6.2716917700698496E-2", style: plain)?.description == "-0.062716917700698496")
        #expect(ExactDecimal.parse("1.5E+3", style: plain)?.description == "1500")
        #expect(ExactDecimal.parse("1e5", style: dutch)?.description == "100000")
        #expect(ExactDecimal.parse("-1,25e-2", style: dutch)?.description == "-0.0125")
        #expect(ExactDecimal.parse("4.102573372827581", style: plain)?.description == "4.102573372827581")
        // More significant digits than 18 cannot be held exactly: refused, never rounded.
        #expect(ExactDecimal.parse("1.23456789012345678901e3", style: plain) == nil)
    }

    @Test func roundingHalfEvenAndHalfUp() throws {
        func round(_ s: String, _ scale: Int, _ mode: ExactDecimal.Rounding) -> String? {
            ExactDecimal.parse(s, style: .plain)?.rounded(to: scale, mode)?.description
        }
        #expect(round("4.102573372827581", 4, .halfEven) == "4.1026")
        #expect(round("0.125", 2, .halfEven) == "0.12")
        #expect(round("0.135", 2, .halfEven) == "0.14")
        #expect(round("0.125", 2, .halfUp) == "0.13")
        #expect(round("-0.125", 2, .halfUp) == "-0.13")
        #expect(round("0.1250001", 2, .halfEven) == "0.13")
        #expect(round("9.15237961440333e-05", 4, .halfEven) == "0.0001")
        #expect(round("1.5e-300", 4, .halfUp) == "0.0000")
        #expect(round("2.5", 4, .halfEven) == "2.5000")
        #expect(ExactDecimal.parse("4.102573372827581", style: .plain)?.rescaled(to: 4) == nil)
        #expect(ExactDecimal.parse("123456.78", style: .plain)?.integerDigits == 6)
        #expect(ExactDecimal.parse("0.5", style: .plain)?.integerDigits == 0)
    }
}
