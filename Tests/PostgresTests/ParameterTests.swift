import Dates
import Foundation
import Postgres
import TestSupport
import Testing

@Suite(.ownThread) struct ParameterTests {
    @Test func textRoundTrips() throws {
        try withTestConnection { db throws in
            let values = ["it's \"quoted\"", "a;b;c", "line1\nline2\r\nline3", "emoji 🏠🌳", "café é Ë", "", "back\\slash", "tab\there"]
            for value in values {
                let back = try db.scalar("select $1::text", [value], as: String.self)
                #expect(back == value)
                #expect(try db.scalar("select length($1::text)", [value], as: Int.self) == value.unicodeScalars.count)
            }
            // Parameters are not spliced: SQL in a value stays data.
            try db.execute("create table t (v text)")
            try db.execute("insert into t values ($1)", ["x'); drop table t; --"])
            #expect(try db.scalar("select v from t", as: String.self) == "x'); drop table t; --")
        }
    }

    @Test func nullsAndOptionals() throws {
        try withTestConnection { db throws in
            let none: Int? = nil
            #expect(try db.scalar("select $1::int is null", [none], as: Bool.self) == true)
            let row = try db.execute("select null::text, 5::int")[0]
            #expect(try row.decode(0, as: String?.self) == nil)
            #expect(try row.decode(1, as: Int?.self) == 5)
            #expect(throws: PostgresError.self) { try row.decode(0, as: String.self) }
        }
    }

    @Test func integerLimits() throws {
        try withTestConnection { db throws in
            for value in [Int64.min, Int64.max, 0, -1] {
                let back = try db.scalar("select $1::bigint", [value], as: Int64.self)
                #expect(back == value)
            }
            let int32 = try db.scalar("select $1::int", [Int32.max], as: Int32.self)
            #expect(int32 == Int32.max)
            #expect(throws: PostgresError.self) { try db.execute("select $1::int", [Int64.max]) }
        }
    }

    @Test func numericIsExact() throws {
        try withTestConnection { db throws in
            for text in ["1199000.00", "-0.01", "0.10", "123456789012.34", "99999999999999999999.99"] {
                let decimal = try #require(Decimal(postgresText: text))
                let back = try db.scalar("select $1::numeric", [decimal], as: Decimal.self)
                #expect(back == decimal)
                // The server sees the exact value (Decimal keeps the value, not the display scale).
                let same = try db.scalar("select $1::numeric = $2::numeric", [decimal, text], as: Bool.self)
                #expect(same == true)
            }
            // A sum of many cents stays exact (0.1 + 0.2 style errors would show here).
            try db.execute("create table m (amount numeric(14,2))")
            try db.execute("insert into m select 0.01 from generate_series(1, 10000)")
            #expect(try db.scalar("select sum(amount) from m", as: Decimal.self) == Decimal(string: "100.00"))
            #expect(try db.scalar("select sum(amount)::text from m", as: String.self) == "100.00")
        }
    }

    @Test func datesAndTimes() throws {
        try withTestConnection { db throws in
            let date = try #require(CalendarDate(year: 2019, month: 10, day: 1))
            #expect(try db.scalar("select $1::date", [date], as: CalendarDate.self) == date)
            let leap = try #require(CalendarDate(year: 2020, month: 2, day: 29))
            #expect(try db.scalar("select $1::date + 1", [leap], as: CalendarDate.self) == CalendarDate(year: 2020, month: 3, day: 1))
            #expect(CalendarDate(year: 2019, month: 2, day: 31) == nil)
            let instant = Date(timeIntervalSince1970: 1_570_000_000.5)
            let back = try db.scalar("select $1::timestamptz", [instant], as: Date.self)
            #expect(back == instant)
            try db.execute("set timezone to 'Europe/Amsterdam'")
            #expect(try db.scalar("select $1::timestamptz", [instant], as: Date.self) == instant)
            #expect(try db.scalar("select $1::bool", [true], as: Bool.self) == true)
            #expect(try db.scalar("select $1::float8", [2.5], as: Double.self) == 2.5)
        }
    }
}
