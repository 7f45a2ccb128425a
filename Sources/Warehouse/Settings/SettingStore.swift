import Ingest
import Postgres

/// The corporation's own choices (`core.setting`) and the rules a new value must meet.
public struct SettingStore {
    /// One setting as listed.
    public struct Setting: Sendable {
        public var key: String
        public var value: String
        public var defaultValue: String
        public var description: String
    }

    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Every setting, by key.
    public func list() throws -> [Setting] {
        try connection.execute("select key, value, default_value, description from core.setting order by key").map {
            Setting(key: try $0.decode(0), value: try $0.decode(1), defaultValue: try $0.decode(2), description: try $0.decode(3))
        }
    }

    /// A setting's value; an unknown key is an unknown name with the nearest known one.
    public func value(_ key: String) throws -> String {
        if let value = try connection.scalar("select value from core.setting where key = $1", [key], as: String.self) { return value }
        let known = try list().map(\.key)
        throw WarehouseError(.unknownName, "no setting '\(key)'.\(Suggestion.phrase(key, in: known)) See leefbaar-etl settings list")
    }

    /// Sets a value after checking it (`invalidInput` naming the rule it breaks); returns the old
    /// and the stored value (numbers in dot notation).
    @discardableResult
    public func set(_ key: String, _ raw: String) throws -> (old: String, new: String) {
        let old = try value(key)
        let value = try checked(key, raw)
        try connection.execute("update core.setting set value = $2 where key = $1", [key, value])
        return (old, value)
    }

    /// The value as stored, or `invalidInput` saying what the setting takes.
    func checked(_ key: String, _ raw: String) throws -> String {
        var value = raw
        if key.hasPrefix("inzet.") {
            // A plain decimal (a decimal comma is fine): no hex, exponents, NaN or Infinity.
            guard let plain = ExactDecimal.settingNumber(value), let number = Double(plain) else {
                throw WarehouseError(.invalidInput, "\(key) takes a number such as -0.5 (or -0,5)")
            }
            value = plain
            let other = key == "inzet.plus_sd" ? "inzet.plusplus_sd" : "inzet.plus_sd"
            let otherValue = Double(try self.value(other)) ?? 0
            let (plus, plusplus) = key == "inzet.plus_sd" ? (number, otherValue) : (otherValue, number)
            guard plusplus <= plus else {
                throw WarehouseError(
                    .invalidInput, "the orange cut-off (inzet.plusplus_sd \(plusplus)) must not be above the yellow one (inzet.plus_sd \(plus))")
            }
        }
        if key == "privacy.min_gemeenten" {
            guard let n = Int(value), n >= 1 else { throw WarehouseError(.invalidInput, "privacy.min_gemeenten takes a whole number of 1 or more, e.g. 3") }
        }
        if key == "focus.dimensions" {
            let dims = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !dims.isEmpty, dims.allSatisfy({ ["won", "fys", "vrz", "soc", "onv"].contains($0) }) else {
                throw WarehouseError(.invalidInput, "focus.dimensions lists won, fys, vrz, soc, onv separated by commas")
            }
        }
        return value
    }
}
